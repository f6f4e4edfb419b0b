package dev.sandglass.storage.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Blocks over the byte limit are split by series, and a lone series by samples; nothing is lost or repeated. */
class FittingBlocksTest {

    private static List<BlockWriter.SeriesData> noise(int series, int samples, long seed) {
        Random rnd = new Random(seed);
        List<BlockWriter.SeriesData> out = new ArrayList<>();
        for (int k = 0; k < series; k++) {
            long[] t = new long[samples];
            double[] v = new double[samples];
            for (int i = 0; i < samples; i++) {
                t[i] = 1_000_000L + i * 1000L + (k % 3); // three timestamp groups
                v[i] = rnd.nextDouble();
            }
            out.add(new BlockWriter.SeriesData(k, k % 2 == 0 ? "a" : "b", t, v, samples));
        }
        return out;
    }

    /** Every block decoded: per ref, its samples in block order (t, value bits). */
    private static Map<Integer, List<long[]>> decode(List<byte[]> blocks) {
        Map<Integer, List<long[]>> out = new TreeMap<>();
        for (byte[] bytes : blocks) {
            Block b = new Block(bytes);
            int[] refs = b.refs();
            b.prepare(refs);
            for (int i = 0; i < refs.length; i++) {
                long[] t = b.timestamps(i);
                double[] v = b.values(i);
                for (int j = 0; j < t.length; j++) {
                    out.computeIfAbsent(refs[i], r -> new ArrayList<>()).add(new long[] {t[j], Double.doubleToRawLongBits(v[j])});
                }
            }
        }
        return out;
    }

    private static void assertSame(List<BlockWriter.SeriesData> in, List<byte[]> blocks) {
        Map<Integer, List<long[]>> got = decode(blocks);
        assertEquals(in.size(), got.size(), "series");
        for (BlockWriter.SeriesData s : in) {
            List<long[]> g = got.get(s.ref());
            assertEquals(s.size(), g.size(), "samples of " + s.ref());
            for (int j = 0; j < s.size(); j++) {
                assertEquals(s.timestamps()[s.offset() + j], g.get(j)[0], "time " + j + " of " + s.ref());
                assertEquals(Double.doubleToRawLongBits(s.values()[s.offset() + j]), g.get(j)[1], "value " + j + " of " + s.ref());
            }
        }
    }

    @Test
    void aBlockThatFitsIsOneBlock() {
        List<BlockWriter.SeriesData> in = noise(4, 100, 1);
        List<byte[]> blocks = FittingBlocks.encode(in, 77, 1 << 20);
        assertEquals(1, blocks.size());
        assertEquals(77, new Block(blocks.get(0)).walCheckpoint());
        assertSame(in, blocks);
    }

    @Test
    void manySeriesAreSplitBySeriesAndTheLastBlockCarriesTheCheckpoint() {
        List<BlockWriter.SeriesData> in = noise(40, 500, 2); // ~180 KB of values that hardly compress
        int limit = 20_000;
        List<byte[]> blocks = FittingBlocks.encode(in, 5, limit);
        assertTrue(blocks.size() >= 9, blocks.size() + " blocks");
        for (int k = 0; k < blocks.size(); k++) {
            assertTrue(blocks.get(k).length <= limit, "block " + k + " of " + blocks.get(k).length + " bytes");
            assertEquals(k == blocks.size() - 1 ? 5 : -1, new Block(blocks.get(k)).walCheckpoint(), "checkpoint of block " + k);
        }
        assertSame(in, blocks);
    }

    @Test
    void aLoneSeriesTooBigForABlockIsSplitIntoTimeRanges() {
        List<BlockWriter.SeriesData> whole = noise(1, 10_000, 3);
        BlockWriter.SeriesData s = whole.get(0);
        // A slice from an offset, as a seal hands over runs packed in shared columns.
        List<BlockWriter.SeriesData> in = List.of(new BlockWriter.SeriesData(9, "c", s.timestamps(), s.values(), 123, 9_000));
        List<byte[]> blocks = FittingBlocks.encode(in, -1, 8_000);
        assertTrue(blocks.size() >= 10, blocks.size() + " blocks");
        long lastMax = Long.MIN_VALUE;
        for (byte[] b : blocks) {
            assertTrue(b.length <= 8_000);
            Block block = new Block(b);
            assertTrue(block.minT() > lastMax, "blocks in time order, disjoint");
            lastMax = block.maxT();
        }
        assertSame(in, blocks);
    }
}
