package dev.sandglass.storage.segment;

import com.github.luben.zstd.Zstd;
import dev.sandglass.storage.encoding.CorruptBlockException;
import dev.sandglass.storage.encoding.TimestampCodec;
import dev.sandglass.storage.encoding.ValueCodec;
import dev.sandglass.storage.encoding.Varints;

/**
 * A sealed block read back: the header is parsed on construction; timestamp and value sections
 * are decompressed on first use, one value frame at a time. Safe for concurrent readers; cheap to create.
 * Of each series' header entry only its ref and where the rest of it is are kept (8 bytes, with
 * 4 more for the lookup by ref): the group, frame, offset and length are read from the header
 * bytes when asked for. A query over a churned store holds blocks of 100,000 series each, and 28
 * bytes a series came to 28 MB for a million, more than half of a 64 MiB heap.
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
     * Where each section's stored form starts (its flag byte): section 0 holds the timestamps,
     * section 1 + f value frame f. A whole block's sections are all in {@link #bytes}; a partial
     * block ({@link #partial}) gets those a query needs from its reader ({@link #supply}), and a
     * section it was never given is null.
     */
    private final byte[][] sectionArray;
    private final int[] sectionAt;
    private long[][] groupTimestamps;
    /** The decompressed timestamp section, and where each group starts in it. */
    private byte[] tsBytes;
    /** Groups shorter than this are decoded again when asked for, rather than all kept. */
    private static final int SMALL_GROUP = 16;
    private int[] groupAt;
    /** Decompressed frames (or, for frames stored raw, the array that holds them, from {@link #frameBase}). */
    private final byte[][] frameBytes;
    private final int[] frameBase;
    /** Positions of the series by ascending ref; null while not needed, and when the refs are in order. */
    private int[] byRef;
    private boolean byRefReady;

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
        int p = headerLength;
        for (int s = 0; s < sectionAt.length; s++) {
            sectionArray[s] = bytes;
            sectionAt[s] = p;
            p = skipSection(p);
        }
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
        sectionArray = new byte[nf + 1][];
        sectionAt = new int[nf + 1];
        frameBytes = new byte[nf][];
        frameBase = new int[nf];
    }

    private int skipSection(int at) {
        Varints.In in = new Varints.In(bytes, at, bytes.length);
        in.byte1();
        in.uvarint();
        long stored = in.uvarint();
        long end = in.position() + stored;
        if (end > bytes.length) {
            throw new CorruptBlockException("block section at byte " + at + " runs past the end (" + end + " > " + bytes.length + ")");
        }
        return (int) end;
    }

    /**
     * Section {@code s} decoded: its raw bytes are {@code out[0][base .. base + raw)}, where base
     * is returned. A section stored raw is used where it is, not copied.
     */
    private int section(int s, byte[][] out) {
        byte[] a = sectionArray[s];
        int at = sectionAt[s];
        if (a == null) {
            throw new IllegalStateException("BUG: section " + s + " of the block was not read before it was used");
        }
        Varints.In in = new Varints.In(a, at, a.length);
        int flag = in.byte1();
        int raw = (int) in.uvarint();
        int stored = (int) in.uvarint();
        int start = in.position();
        if (flag == 0) {
            out[0] = a;
            return start;
        }
        if (flag != 1) {
            throw new CorruptBlockException("unknown section compression " + flag + " at byte " + at);
        }
        byte[] dst = new byte[raw];
        long n = Zstd.decompressByteArray(dst, 0, raw, a, start, stored);
        if (Zstd.isError(n) || n != raw) {
            throw new CorruptBlockException("zstd section at byte " + at + " does not decompress to " + raw + " bytes");
        }
        out[0] = dst;
        return 0;
    }

    /** Length of the header, where section 0 starts in the block's bytes. */
    int headerLength() {
        return headerLength;
    }

    /** Sections in the block: the timestamps and one per value frame. */
    int sectionCount() {
        return sectionAt.length;
    }

    /**
     * The sections (as {@link #sectionCount} numbers them, ascending) that reading
     * {@code seriesRefs} (every series when null) needs and that this block was not given yet.
     */
    synchronized int[] missingSections(int[] seriesRefs) {
        boolean[] need = new boolean[sectionAt.length];
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
        int n = 0;
        int[] out = new int[need.length];
        for (int s = 0; s < need.length; s++) {
            if (need[s] && sectionArray[s] == null) {
                out[n++] = s;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Gives a partial block section {@code s}, stored from {@code at} in {@code array}; a section it has is kept. */
    synchronized void supply(int s, byte[] array, int at) {
        if (sectionArray[s] == null) {
            sectionAt[s] = at;
            sectionArray[s] = array;
        }
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
        return groupTimestamps(field(i, 0));
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
                groupTimestamps(field(i, 0));
                frame(field(i, 1));
            }
        }
    }

    /**
     * The timestamps of group {@code g}, decoded on first use; synchronized: series are decoded
     * concurrently. The section is decompressed and its groups located once; large groups are kept
     * then, small ones decoded again only for series asked for (a churned block has a group per
     * series: 100,000 small arrays, most of them for series the query does not want).
     */
    private synchronized long[] groupTimestamps(int g) {
        if (groupTimestamps == null) {
            byte[][] ts = new byte[1][];
            int tsBase = section(0, ts);
            tsBytes = ts[0];
            groupAt = new int[groupSizes.length];
            groupTimestamps = new long[groupSizes.length][];
            Varints.In in = new Varints.In(tsBytes, tsBase, tsBytes.length);
            long[] skip = new long[SMALL_GROUP];
            for (int k = 0; k < groupSizes.length; k++) {
                groupAt[k] = in.position();
                // Large groups (shared by many series, decoded once) are kept as they are read.
                long[] into = groupSizes[k] < SMALL_GROUP ? skip : (groupTimestamps[k] = new long[groupSizes[k]]);
                TimestampCodec.decode(in, groupSizes[k], into, 0);
            }
        }
        long[] t = groupTimestamps[g];
        if (t == null) {
            t = new long[groupSizes[g]];
            TimestampCodec.decode(new Varints.In(tsBytes, groupAt[g], tsBytes.length), t.length, t, 0);
            groupTimestamps[g] = t;
        }
        return t;
    }

    /** The decompressed value frame {@code f}, decompressed on first use; its bytes start at {@link #frameBase}. */
    private synchronized byte[] frame(int f) {
        if (frameBytes[f] == null) {
            byte[][] out = new byte[1][];
            frameBase[f] = section(1 + f, out);
            frameBytes[f] = out[0];
        }
        return frameBytes[f];
    }

    /** The i-th series' value column, ready to decode. */
    private Varints.In column(int i) {
        int f = field(i, 1);
        byte[] fb = frame(f);
        int base;
        synchronized (this) {
            base = frameBase[f];
        }
        int start = base + field(i, 2);
        return new Varints.In(fb, start, start + field(i, 3));
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
        int[] order = byRef();
        int lo = 0;
        int hi = refs.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int at = order == null ? mid : order[mid];
            int r = refs[at];
            if (r < ref) {
                lo = mid + 1;
            } else if (r > ref) {
                hi = mid - 1;
            } else {
                return at;
            }
        }
        return -1;
    }

    /**
     * The index of each of {@code refs} (ascending) in this block, -1 where it has none: one walk
     * forward in ref order, galloping from the last one found, where a binary search per ref
     * jumps across the whole block (a 14,286-series selection over blocks of 100,000 series paid
     * some 17 cache misses a ref, a block). Refs not ascending are looked up one by one.
     */
    public int[] indexesOf(int[] refs) {
        int[] out = new int[refs.length];
        int[] order = byRef();
        int n = this.refs.length;
        int k = 0; // every position below k (in ref order) holds a smaller ref than the next one asked
        for (int i = 0; i < refs.length; i++) {
            int ref = refs[i];
            if (i > 0 && ref <= refs[i - 1]) {
                out[i] = indexOf(ref);
                continue;
            }
            int step = 1;
            while (k + step <= n && refAt(order, k + step - 1) < ref) {
                k += step;
                step <<= 1;
            }
            int lo = k;
            int hi = Math.min(n, k + step) - 1;
            out[i] = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int r = refAt(order, mid);
                if (r < ref) {
                    lo = mid + 1;
                } else if (r > ref) {
                    hi = mid - 1;
                } else {
                    out[i] = order == null ? mid : order[mid];
                    lo = mid + 1;
                    break;
                }
            }
            k = lo;
        }
        return out;
    }

    private int refAt(int[] order, int position) {
        return refs[order == null ? position : order[position]];
    }

    /** Positions of every series by ascending ref (null when the block's order is already that): a binary search instead of a scan per lookup. */
    private synchronized int[] byRef() {
        if (!byRefReady) {
            boolean sorted = true;
            for (int i = 1; i < refs.length && sorted; i++) {
                sorted = refs[i - 1] < refs[i];
            }
            if (!sorted) {
                long[] a = new long[refs.length];
                for (int i = 0; i < refs.length; i++) {
                    a[i] = ((long) refs[i] << 32) | i;
                }
                java.util.Arrays.sort(a);
                int[] order = new int[a.length];
                for (int i = 0; i < a.length; i++) {
                    order[i] = (int) a[i];
                }
                byRef = order;
            }
            byRefReady = true;
        }
        return byRef;
    }
}
