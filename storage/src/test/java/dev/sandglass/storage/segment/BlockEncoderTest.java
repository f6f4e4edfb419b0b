package dev.sandglass.storage.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One encoder reused from block to block gives each block exactly the bytes a fresh one gives it. */
class BlockEncoderTest {

    private static List<BlockWriter.SeriesData> series(int count, int samples, int names, long seed) {
        Random rnd = new Random(seed);
        List<BlockWriter.SeriesData> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            long[] t = new long[samples];
            double[] v = new double[samples];
            for (int i = 0; i < samples; i++) {
                t[i] = 5_000_000L + i * 15_000L + (k % 4) * 7; // four timestamp groups
                v[i] = k % 3 == 0 ? i * 3 : rnd.nextDouble() * 1000; // counters and gauges
            }
            out.add(new BlockWriter.SeriesData(3 * k + 1, "m" + (k % names), t, v, samples));
        }
        return out;
    }

    private static byte[] fresh(List<BlockWriter.SeriesData> s, long checkpoint) {
        try (BlockEncoder e = new BlockEncoder()) {
            return encode(e, s, checkpoint);
        }
    }

    /** The encoder's buffer may be replaced by a bigger one while it encodes: read it after. */
    private static byte[] encode(BlockEncoder e, List<BlockWriter.SeriesData> s, long checkpoint) {
        int len = e.encode(s, checkpoint);
        return Arrays.copyOf(e.bytes(), len);
    }

    @Test
    void aReusedEncoderLeavesNothingOfTheLastBlockInTheNext() {
        List<BlockWriter.SeriesData> big = series(2_000, 40, 10, 1);
        List<BlockWriter.SeriesData> small = series(7, 3, 2, 2); // fewer names, groups and samples than big
        List<BlockWriter.SeriesData> other = series(500, 12, 25, 3); // more names than big
        byte[] smallAlone = fresh(small, 9);
        try (BlockEncoder e = new BlockEncoder()) {
            for (List<BlockWriter.SeriesData> s : List.of(big, small, other, small, big)) {
                long cp = s == small ? 9 : -1;
                byte[] got = encode(e, s, cp);
                assertArrayEquals(fresh(s, cp), got, "a block of " + s.size() + " series");
            }
            assertArrayEquals(smallAlone, encode(e, small, 9));
        }
        // And the bytes decode to the samples given (the format readers know).
        Block b = new Block(smallAlone);
        assertEquals(9, b.walCheckpoint());
        int[] refs = b.refs();
        b.prepare(refs);
        for (int i = 0; i < refs.length; i++) {
            BlockWriter.SeriesData s = small.get(i);
            assertEquals(s.ref(), refs[i]);
            assertArrayEquals(s.timestamps(), b.timestamps(i));
            assertArrayEquals(s.values(), b.values(i));
        }
    }
}
