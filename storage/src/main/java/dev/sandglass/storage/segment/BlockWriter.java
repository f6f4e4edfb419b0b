package dev.sandglass.storage.segment;

import java.util.Arrays;
import java.util.List;

/**
 * Encodes one sealed block: the samples of many series over one time range, as columns. Series
 * whose timestamps are identical share one timestamp column; values are encoded per series and
 * packed into one frame per metric name, so a query for one metric decompresses one frame. Each
 * column section goes through zstd when that saves at least a tenth. Layout: storage/FORMAT.md;
 * the encoding itself is {@link BlockEncoder}'s, which a seal keeps for all its blocks.
 */
public final class BlockWriter {
    /** 2: version 1 followed by a CRC32C of the whole block; version 1 blocks are still read. */
    static final int VERSION = 2;
    static final int VERSION_WITHOUT_CHECKSUM = 1;

    static boolean knownVersion(int v) {
        return v == VERSION || v == VERSION_WITHOUT_CHECKSUM;
    }
    static final int ZSTD_LEVEL = 5;

    /**
     * One series' samples in time order, each timestamp once: {@code size} of them from
     * {@code offset} in both arrays (a seal packs many series into shared columns).
     */
    public record SeriesData(int ref, String metric, long[] timestamps, double[] values, int offset, int size) {
        public SeriesData(int ref, String metric, long[] timestamps, double[] values, int size) {
            this(ref, metric, timestamps, values, 0, size);
        }
    }

    private BlockWriter() {
    }

    /** The block's bytes; {@code walCheckpoint} is the last WAL index it covers, or -1. */
    public static byte[] encode(List<SeriesData> series, long walCheckpoint) {
        try (BlockEncoder e = new BlockEncoder()) {
            int len = e.encode(series, walCheckpoint);
            return Arrays.copyOf(e.bytes(), len);
        }
    }
}
