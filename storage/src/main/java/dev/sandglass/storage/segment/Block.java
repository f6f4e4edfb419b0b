package dev.sandglass.storage.segment;

import com.github.luben.zstd.Zstd;
import dev.sandglass.storage.encoding.CorruptBlockException;
import dev.sandglass.storage.encoding.TimestampCodec;
import dev.sandglass.storage.encoding.ValueCodec;
import dev.sandglass.storage.encoding.Varints;
import java.util.Arrays;

/**
 * A sealed block read back: the header is parsed on construction; timestamp and value sections
 * are decompressed on first use, one value frame at a time. Safe for concurrent readers; cheap to create.
 */
public final class Block {
    private final byte[] bytes;
    private final long minT;
    private final long maxT;
    private final long walCheckpoint;
    private final int[] groupSizes;
    private final int[] refs;
    private final int[] group;
    private final int[] frame;
    private final int[] offset;
    private final int[] length;
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
    /** Decompressed frames (or, for frames stored raw, the array that holds them, from {@link #frameBase}). */
    private final byte[][] frameBytes;
    private final int[] frameBase;
    private long[] byRef;

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
        group = new int[ns];
        frame = new int[ns];
        offset = new int[ns];
        length = new int[ns];
        for (int i = 0; i < ns; i++) {
            refs[i] = (int) in.uvarint();
            group[i] = (int) in.uvarint();
            frame[i] = (int) in.uvarint();
            offset[i] = (int) in.uvarint();
            length[i] = (int) in.uvarint();
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
            for (int ref : seriesRefs) {
                int i = indexOf(ref);
                if (i >= 0) {
                    need[1 + frame[i]] = true;
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
        return groupSizes[group[i]];
    }

    /** Timestamps of the i-th series of the block (shared array: do not modify). */
    public long[] timestamps(int i) {
        return groupTimestamps()[group[i]];
    }

    /** Decodes the timestamps and decompresses the value frames of the given series ahead of reads. */
    public void prepare(int[] seriesRefs) {
        groupTimestamps();
        for (int ref : seriesRefs) {
            int i = indexOf(ref);
            if (i >= 0) {
                frame(frame[i]);
            }
        }
    }

    /** Decodes every group's timestamps on first use; synchronized: series are decoded concurrently. */
    private synchronized long[][] groupTimestamps() {
        if (groupTimestamps == null) {
            byte[][] ts = new byte[1][];
            int base = section(0, ts);
            Varints.In in = new Varints.In(ts[0], base, ts[0].length);
            groupTimestamps = new long[groupSizes.length][];
            for (int g = 0; g < groupSizes.length; g++) {
                groupTimestamps[g] = new long[groupSizes[g]];
                TimestampCodec.decode(in, groupSizes[g], groupTimestamps[g], 0);
            }
        }
        return groupTimestamps;
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
        byte[] fb = frame(frame[i]);
        int base;
        synchronized (this) {
            base = frameBase[frame[i]];
        }
        return new Varints.In(fb, base + offset[i], base + offset[i] + length[i]);
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
        long[] byRef = byRef();
        int lo = 0;
        int hi = byRef.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int r = (int) (byRef[mid] >> 32);
            if (r < ref) {
                lo = mid + 1;
            } else if (r > ref) {
                hi = mid - 1;
            } else {
                return (int) byRef[mid];
            }
        }
        return -1;
    }

    /** (ref << 32 | position) of every series, sorted: a binary search instead of a scan per lookup. */
    private synchronized long[] byRef() {
        if (byRef == null) {
            long[] a = new long[refs.length];
            for (int i = 0; i < refs.length; i++) {
                a[i] = ((long) refs[i] << 32) | i;
            }
            java.util.Arrays.sort(a);
            byRef = a;
        }
        return byRef;
    }
}
