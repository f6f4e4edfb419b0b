package dev.sandglass.storage.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockSizerTest {
    /** Series of 40 samples 15 s apart, values that hardly compress (random gauges), until {@code samples}. */
    private static List<BlockWriter.SeriesData> batch(int firstRef, int samples, Random rnd) {
        List<BlockWriter.SeriesData> out = new ArrayList<>();
        for (int ref = firstRef; samples > 0; ref++) {
            int n = Math.min(40, samples);
            long[] ts = new long[n];
            double[] vs = new double[n];
            for (int i = 0; i < n; i++) {
                ts[i] = 1_700_000_000_000L + i * 15_000L;
                vs[i] = rnd.nextDouble() * 1e6;
            }
            out.add(new BlockWriter.SeriesData(ref, "m" + (ref % 10), ts, vs, n));
            samples -= n;
        }
        return out;
    }

    @Test
    void afterOneBatchTheNextFitsOneBlockAtTheFirstEncoding() {
        BlockSizer sizer = new BlockSizer();
        assertEquals(2_000_000, sizer.samples(2_000_000), "nothing learnt yet: the full batch");
        Random rnd = new Random(7);
        List<byte[]> first = FittingBlocks.encode(batch(0, 1_000_000, rnd), -1);
        assertTrue(first.size() > 1, "a million random gauges take more than one excerpt: " + first.size());
        sizer.encoded(1_000_000, first);
        int next = sizer.samples(2_000_000);
        assertTrue(next < 1_000_000 && next >= BlockSizer.MIN_SAMPLES, "a batch cut to fit: " + next);
        byte[] once = BlockWriter.encode(batch(1_000_000, next, rnd), -1);
        assertTrue(once.length <= SegmentStore.MAX_BLOCK_BYTES, "fits one excerpt as encoded: " + once.length);
        assertTrue(once.length > SegmentStore.MAX_BLOCK_BYTES / 2, "and is not cut needlessly small: " + once.length);
    }

    @Test
    void compressibleValuesKeepFullBatchesAndSmallBatchesTeachNothing() {
        BlockSizer sizer = new BlockSizer(4_000_000);
        sizer.encoded(2_000_000, List.of(new byte[1_500_000])); // under a byte a sample
        assertEquals(2_000_000, sizer.samples(2_000_000));
        sizer.encoded(100, List.of(new byte[100_000])); // a few series' headers: no measure of the values
        assertEquals(2_000_000, sizer.samples(2_000_000));
        sizer.encoded(1_000_000, List.of(new byte[4_000_000], new byte[4_000_000], new byte[4_000_000])); // 12 bytes a sample
        assertEquals(250_000, sizer.samples(2_000_000));
        sizer.encoded(1_000_000, List.of(new byte[100_000_000]));
        assertEquals(BlockSizer.MIN_SAMPLES, sizer.samples(2_000_000), "never below the floor");
    }
}
