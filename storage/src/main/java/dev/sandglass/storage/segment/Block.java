package dev.sandglass.storage.segment;

import dev.sandglass.storage.encoding.CorruptBlockException;
import dev.sandglass.storage.encoding.ValueCodec;
import dev.sandglass.storage.encoding.Varints;

/**
 * A sealed block read back: the header is parsed on construction; timestamp and value sections
 * are decompressed on first use, one value frame at a time. Safe for concurrent readers; cheap to create.
 * Of each series' header entry only its ref and where the rest of it is are kept (8 bytes, with
 * 4 more for the lookup by ref): the group, frame, offset and length are read from the header
 * bytes when asked for. A query over a churned store holds blocks of 100,000 series each, and 28
 * bytes a series came to 28 MB for a million, more than half of a 64 MiB heap.
 *
 * <p>This class parses the header and answers per series; the sections and their decoding are
 * {@link BlockColumns}, the lookup by ref {@link BlockRefs}.
 */
public final class Block {
    private final byte[] bytes;
    private final long minT;
    private final long maxT;
    private final long walCheckpoint;
    private final int[] groupSizes;
    private final int[] refs;
    /** Per series, the position in {@link #bytes} of its header entry after the ref: group, frame, offset, length. */
    private final int[] entry;
    private final int headerLength;
    /**
     * The timestamp and value sections: all of a whole block's are in {@link #bytes}; a partial
     * block ({@link #partial}) gets those a query needs from its reader ({@link #supply}).
     */
    private final BlockColumns columns;
    private final BlockRefs lookup;

    /** Parses a block's header from a prefix of its bytes; bodies are not available. */
    static Block headerOnly(byte[] header) {
        return new Block(header, (Void) null);
    }

    /**
     * Parses a whole block. The sections are found here rather than behind a "with body" flag in
     * the shared header constructor: queries only ever pass one value of such a flag and the
     * segment store's appends the other, so the compiled constructor the queries had warmed up was
     * thrown away the first time the store sealed a block (JFR: a deoptimisation, then a new
     * optimising compilation during the next query).
     */
    public Block(byte[] bytes) {
        this(bytes, (Void) null);
        columns.locateAll(bytes, headerLength);
    }

    /**
     * A block of which only the header ({@code header}, the block's first bytes) is read: its
     * reader supplies the sections a query needs ({@link #missingSections}, {@link #supply}), so
     * a query for one metric copies one value frame of the block, not all of them.
     */
    static Block partial(byte[] header) {
        return new Block(header, (Void) null);
    }

    /** The header alone; {@code headerOnly} marks the overload. */
    private Block(byte[] bytes, Void headerOnly) {
        this.bytes = bytes;
        Varints.In in = new Varints.In(bytes, 0, bytes.length);
        int version = in.byte1();
        if (!BlockWriter.knownVersion(version)) {
            throw new CorruptBlockException("unknown block version " + version);
        }
        in.long8(); // header length: used by the directory scan only
        minT = in.long8();
        maxT = in.long8();
        walCheckpoint = in.long8();
        int ng = (int) in.uvarint();
        groupSizes = new int[ng];
        for (int i = 0; i < ng; i++) {
            groupSizes[i] = (int) in.uvarint();
        }
        int nf = (int) in.uvarint();
        int ns = (int) in.uvarint();
        refs = new int[ns];
        entry = new int[ns];
        for (int i = 0; i < ns; i++) {
            refs[i] = (int) in.uvarint();
            entry[i] = in.position();
            in.uvarint();
            in.uvarint();
            in.uvarint();
            in.uvarint();
        }
        headerLength = in.position();
        columns = new BlockColumns(groupSizes, nf);
        lookup = new BlockRefs(refs);
    }

    /** Length of the header, where section 0 starts in the block's bytes. */
    int headerLength() {
        return headerLength;
    }

    /** Sections in the block: the timestamps and one per value frame. */
    int sectionCount() {
        return columns.sectionCount();
    }

    /**
     * The sections (as {@link #sectionCount} numbers them, ascending) that reading
     * {@code seriesRefs} (every series when null) needs and that this block was not given yet.
     */
    int[] missingSections(int[] seriesRefs) {
        boolean[] need = new boolean[columns.sectionCount()];
        need[0] = true;
        if (seriesRefs == null) {
            java.util.Arrays.fill(need, true);
        } else {
            for (int i : indexesOf(seriesRefs)) {
                if (i >= 0) {
                    need[1 + field(i, 1)] = true;
                }
            }
        }
        return columns.missing(need);
    }

    /** Gives a partial block section {@code s}, stored from {@code at} in {@code array}; a section it has is kept. */
    void supply(int s, byte[] array, int at) {
        columns.supply(s, array, at);
    }

    public long minT() {
        return minT;
    }

    public long maxT() {
        return maxT;
    }

    public long walCheckpoint() {
        return walCheckpoint;
    }

    /** Series refs in this block, in block order. */
    public int[] refs() {
        return refs;
    }

    public int seriesCount() {
        return refs.length;
    }

    public int sampleCount(int i) {
        return groupSizes[field(i, 0)];
    }

    /** Timestamps of the i-th series of the block (shared array: do not modify). */
    public long[] timestamps(int i) {
        return columns.groupTimestamps(field(i, 0));
    }

    /** Field {@code k} (0 group, 1 frame, 2 offset, 3 length) of the i-th series' header entry. */
    private int field(int i, int k) {
        int at = entry[i];
        for (; k > 0; k--) {
            while (bytes[at++] < 0) {
                // skip a varint
            }
        }
        int v = 0;
        for (int shift = 0;; shift += 7) {
            byte b = bytes[at++];
            v |= (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
    }

    /** Decodes the timestamps and decompresses the value frames of the given series ahead of reads. */
    public void prepare(int[] seriesRefs) {
        for (int ref : seriesRefs) {
            int i = indexOf(ref);
            if (i >= 0) {
                columns.groupTimestamps(field(i, 0));
                columns.frame(field(i, 1));
            }
        }
    }

    /** The i-th series' value column, ready to decode. */
    private Varints.In column(int i) {
        return columns.column(field(i, 1), field(i, 2), field(i, 3));
    }

    /** Values of the i-th series of the block. */
    public double[] values(int i) {
        double[] out = new double[sampleCount(i)];
        ValueCodec.decode(column(i), out.length, out, 0);
        return out;
    }

    /**
     * Appends the i-th series' samples with timestamps in [minT, maxT] to {@code out}, decoding
     * its values straight into the destination arrays.
     */
    public void appendTo(int i, long minT, long maxT, dev.sandglass.storage.api.Samples out) {
        long[] ts = timestamps(i);
        int n = sampleCount(i);
        int from = dev.sandglass.storage.api.Samples.lowerBound(ts, n, minT);
        int to = from;
        while (to < n && ts[to] <= maxT) {
            to++;
        }
        if (to == from) {
            return;
        }
        // The column decodes whole, straight into the destination; a block at the range's edge
        // then keeps its part [from, to) (no array of its own for the values).
        int at = out.reserve(n);
        ValueCodec.decode(column(i), n, out.values(), at);
        out.keepDecoded(ts, from, to);
    }

    /** Index of a series ref in this block, or -1. */
    public int indexOf(int ref) {
        return lookup.indexOf(ref);
    }

    /**
     * The index of each of {@code refs} (ascending) in this block, -1 where it has none, found in
     * one walk forward (see {@link BlockRefs#indexesOf}).
     */
    public int[] indexesOf(int[] refs) {
        return lookup.indexesOf(refs);
    }
}
