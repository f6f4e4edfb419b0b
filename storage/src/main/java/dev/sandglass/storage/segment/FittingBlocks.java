package dev.sandglass.storage.segment;

import dev.sandglass.storage.api.StorageException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes series into raw blocks that each fit one queue excerpt ({@link SegmentStore#MAX_BLOCK_BYTES}):
 * a block over it would fail its append (Chronicle refuses it), and a seal that cannot append
 * its head never completes. Writers first cut batches at {@link #MAX_SERIES} series (each
 * series takes ~10 header bytes even with one sample: churn); a block still too big (values
 * that hardly compress) is halved by series, and a lone series by samples, into blocks of
 * disjoint time ranges, which readers merge as they merge any blocks of one series.
 */
public final class FittingBlocks {
    /** Series per block at most: 100,000 one-sample series take ~1.5 MB; 300,000 took 4.6 MB, over the limit. */
    public static final int MAX_SERIES = 100_000;

    private FittingBlocks() {
    }

    /** The blocks of {@code series}; only the last carries {@code walCheckpoint} (the others -1). */
    public static List<byte[]> encode(List<BlockWriter.SeriesData> series, long walCheckpoint) {
        return encode(series, walCheckpoint, SegmentStore.MAX_BLOCK_BYTES);
    }

    /** As above with another limit (tests). */
    static List<byte[]> encode(List<BlockWriter.SeriesData> series, long walCheckpoint, int maxBytes) {
        List<byte[]> out = new ArrayList<>();
        split(series, walCheckpoint, maxBytes, out);
        return out;
    }

    private static void split(List<BlockWriter.SeriesData> series, long checkpoint, int maxBytes, List<byte[]> out) {
        byte[] block = BlockWriter.encode(series, checkpoint);
        if (block.length <= maxBytes) {
            out.add(block);
            return;
        }
        if (series.size() > 1) {
            int half = series.size() / 2;
            split(series.subList(0, half), -1, maxBytes, out);
            split(series.subList(half, series.size()), checkpoint, maxBytes, out);
            return;
        }
        BlockWriter.SeriesData one = series.get(0);
        if (one.size() < 2) {
            throw new StorageException("one sample of series " + one.ref() + " encodes to " + block.length + " bytes, over the block limit of "
                    + maxBytes);
        }
        int half = one.size() / 2;
        split(List.of(slice(one, 0, half)), -1, maxBytes, out);
        split(List.of(slice(one, half, one.size())), checkpoint, maxBytes, out);
    }

    private static BlockWriter.SeriesData slice(BlockWriter.SeriesData s, int from, int to) {
        return new BlockWriter.SeriesData(s.ref(), s.metric(), s.timestamps(), s.values(), s.offset() + from, to - from);
    }
}
