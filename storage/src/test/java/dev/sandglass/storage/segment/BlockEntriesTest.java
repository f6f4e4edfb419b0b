package dev.sandglass.storage.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandglass.storage.api.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A block keeps of each series' header entry only its ref and position, reading group, frame,
 * offset and length back from the header: every series must still find its own samples by ref,
 * with multi-byte fields, refs out of order across frames, and refs already in order.
 */
class BlockEntriesTest {
    private static List<BlockWriter.SeriesData> series(int n, boolean interleaveMetrics, long seed) {
        Random rnd = new Random(seed);
        List<BlockWriter.SeriesData> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int samples = 1 + rnd.nextInt(k % 50 == 0 ? 400 : 4); // some long series: offsets and lengths past one byte
            long[] t = new long[samples];
            double[] v = new double[samples];
            long t0 = 1_700_000_000_000L + (k % 200) * 250L; // 200 timestamp groups: group ids past one byte
            for (int i = 0; i < samples; i++) {
                t[i] = t0 + i * 15_000L;
                v[i] = rnd.nextInt(3) == 0 ? rnd.nextDouble() : k * 1000 + i;
            }
            String metric = "m" + (interleaveMetrics ? k % 7 : k / (n / 7 + 1));
            out.add(new BlockWriter.SeriesData(200_000 + 3 * k, metric, t, v, samples));
        }
        return out;
    }

    private static void assertEverySeriesReadsBack(List<BlockWriter.SeriesData> in) {
        Block b = new Block(BlockWriter.encode(in, -1));
        assertEquals(in.size(), b.seriesCount());
        int[] refs = new int[in.size()];
        for (int k = 0; k < refs.length; k++) {
            refs[k] = in.get(k).ref();
        }
        b.prepare(refs);
        for (BlockWriter.SeriesData s : in) {
            int i = b.indexOf(s.ref());
            assertEquals(s.ref(), b.refs()[i], "indexOf(" + s.ref() + ")");
            assertEquals(s.size(), b.sampleCount(i));
            assertArrayEquals(s.timestamps(), b.timestamps(i), "timestamps of " + s.ref());
            assertArrayEquals(s.values(), b.values(i), "values of " + s.ref());
            Samples whole = new Samples(4);
            b.appendTo(i, Long.MIN_VALUE, Long.MAX_VALUE, whole);
            assertEquals(s.size(), whole.size());
            assertEquals(Double.doubleToRawLongBits(s.values()[s.size() - 1]), Double.doubleToRawLongBits(whole.values()[whole.size() - 1]));
            if (s.size() > 2) {
                Samples part = new Samples(4);
                b.appendTo(i, s.timestamps()[1], s.timestamps()[1], part);
                assertEquals(1, part.size());
                assertEquals(s.values()[1], part.values()[0]);
            }
        }
        assertEquals(-1, b.indexOf(200_001), "a ref between two of the block's");
        assertEquals(-1, b.indexOf(1 << 30));
    }

    @Test
    void seriesOfInterleavedMetricsAreFoundByRefAcrossFrames() {
        assertEverySeriesReadsBack(series(3_000, true, 1));
    }

    @Test
    void seriesAlreadyInRefOrderAreFoundWithoutASortedCopy() {
        assertEverySeriesReadsBack(series(3_000, false, 2));
    }

    /** The walk over a selection's ascending refs finds each where the binary search does: held, not held, past the end. */
    @Test
    void indexesOfAscendingRefsAgreeWithIndexOf() {
        for (boolean interleave : new boolean[] {true, false}) {
            Block b = new Block(BlockWriter.encode(series(3_000, interleave, 3), -1));
            Random rnd = new Random(4);
            for (int round = 0; round < 200; round++) {
                int density = 1 + rnd.nextInt(round % 2 == 0 ? 3 : 400);
                List<Integer> asked = new ArrayList<>();
                for (int ref = 199_990 + rnd.nextInt(5); ref < 209_020; ref += 1 + rnd.nextInt(density)) {
                    asked.add(ref);
                }
                if (round % 10 == 0 && asked.size() > 2) {
                    asked.add(asked.get(1)); // not ascending: looked up one by one
                }
                int[] refs = asked.stream().mapToInt(Integer::intValue).toArray();
                int[] expected = new int[refs.length];
                for (int k = 0; k < refs.length; k++) {
                    expected[k] = b.indexOf(refs[k]);
                }
                assertArrayEquals(expected, b.indexesOf(refs), "round " + round + ", interleaved " + interleave);
            }
        }
    }
}
