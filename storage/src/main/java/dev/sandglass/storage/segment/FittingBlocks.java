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
        try (BlockEncoder encoder = new BlockEncoder()) {
            write(encoder, series, walCheckpoint, maxBytes, (b, len) -> out.add(java.util.Arrays.copyOf(b, len)));
        }
        return out;
    }

    /** Where fitted blocks go as they are encoded: {@code len} bytes of {@code block}, valid only during the call. */
    @FunctionalInterface
    public interface Sink {
        void accept(byte[] block, int len);
    }

    /**
     * Encodes {@code series} with {@code encoder} into blocks that fit, handing each to {@code sink}
     * as soon as it is encoded (in order; only the last carries {@code walCheckpoint}), so a
     * writer holds one block at a time. Returns the bytes handed over.
     */
    public static long write(BlockEncoder encoder, List<BlockWriter.SeriesData> series, long walCheckpoint, Sink sink) {
        return write(encoder, series, walCheckpoint, SegmentStore.MAX_BLOCK_BYTES, sink);
    }

    static long write(BlockEncoder encoder, List<BlockWriter.SeriesData> series, long checkpoint, int maxBytes, Sink sink) {
        int len = encoder.encode(series, checkpoint);
        if (len <= maxBytes) {
            sink.accept(encoder.bytes(), len);
            return len;
        }
        if (series.size() > 1) {
            int half = series.size() / 2;
            return write(encoder, series.subList(0, half), -1, maxBytes, sink)
                    + write(encoder, series.subList(half, series.size()), checkpoint, maxBytes, sink);
        }
        BlockWriter.SeriesData one = series.get(0);
        if (one.size() < 2) {
            throw new StorageException("one sample of series " + one.ref() + " encodes to " + len + " bytes, over the block limit of "
                    + maxBytes);
        }
        int half = one.size() / 2;
        return write(encoder, List.of(slice(one, 0, half)), -1, maxBytes, sink)
                + write(encoder, List.of(slice(one, half, one.size())), checkpoint, maxBytes, sink);
    }

    private static BlockWriter.SeriesData slice(BlockWriter.SeriesData s, int from, int to) {
        return new BlockWriter.SeriesData(s.ref(), s.metric(), s.timestamps(), s.values(), s.offset() + from, to - from);
    }
}
