package dev.sandglass.storage.segment;

import com.github.luben.zstd.Zstd;
import dev.sandglass.storage.encoding.CorruptBlockException;
import dev.sandglass.storage.encoding.TimestampCodec;
import dev.sandglass.storage.encoding.Varints;

/**
 * The sections of a {@link Block} after its header, and their columns: the timestamp section
 * (every group's timestamps) and one section per value frame, each {@code flag, raw length, stored
 * length} as varints and then its bytes (stored raw or zstd-compressed). Sections are decompressed
 * on first use, one value frame at a time. Safe for concurrent readers.
 */
final class BlockColumns {
    /** Groups shorter than this are decoded again when asked for, rather than all kept. */
    private static final int SMALL_GROUP = 16;
    private final int[] groupSizes;
    /**
     * Where each section's stored form starts (its flag byte): section 0 holds the timestamps,
     * section 1 + f value frame f. A whole block's sections are all in the block's bytes; a
     * partial block gets those a query needs from its reader ({@link #supply}), and a section it
     * was never given is null.
     */
    private final byte[][] sectionArray;
    private final int[] sectionAt;
    private long[][] groupTimestamps;
    /** The decompressed timestamp section, and where each group starts in it. */
    private byte[] tsBytes;
    private int[] groupAt;
    /** Decompressed frames (or, for frames stored raw, the array that holds them, from {@link #frameBase}). */
    private final byte[][] frameBytes;
    private final int[] frameBase;

    /** Columns of {@code groupSizes.length} timestamp groups and {@code frames} value frames, no section given yet. */
    BlockColumns(int[] groupSizes, int frames) {
        this.groupSizes = groupSizes;
        sectionArray = new byte[frames + 1][];
        sectionAt = new int[frames + 1];
        frameBytes = new byte[frames][];
        frameBase = new int[frames];
    }

    /** Finds every section in {@code bytes}, a whole block whose header is {@code headerLength} bytes. */
    void locateAll(byte[] bytes, int headerLength) {
        int p = headerLength;
        for (int s = 0; s < sectionAt.length; s++) {
            sectionArray[s] = bytes;
            sectionAt[s] = p;
            p = skipSection(bytes, p);
        }
    }

    private static int skipSection(byte[] bytes, int at) {
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

    /** Sections in the block: the timestamps and one per value frame. */
    int sectionCount() {
        return sectionAt.length;
    }

    /** The sections {@code need} marks (by section number) that were not given yet, ascending. */
    synchronized int[] missing(boolean[] need) {
        int n = 0;
        int[] out = new int[need.length];
        for (int s = 0; s < need.length; s++) {
            if (need[s] && sectionArray[s] == null) {
                out[n++] = s;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Gives section {@code s}, stored from {@code at} in {@code array}; a section already given is kept. */
    synchronized void supply(int s, byte[] array, int at) {
        if (sectionArray[s] == null) {
            sectionAt[s] = at;
            sectionArray[s] = array;
        }
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

    /**
     * The timestamps of group {@code g}, decoded on first use; synchronized: series are decoded
     * concurrently. The section is decompressed and its groups located once; large groups are kept
     * then, small ones decoded again only for series asked for (a churned block has a group per
     * series: 100,000 small arrays, most of them for series the query does not want).
     */
    synchronized long[] groupTimestamps(int g) {
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
    synchronized byte[] frame(int f) {
        if (frameBytes[f] == null) {
            byte[][] out = new byte[1][];
            frameBase[f] = section(1 + f, out);
            frameBytes[f] = out[0];
        }
        return frameBytes[f];
    }

    /** A value column of frame {@code f}, {@code length} bytes from {@code offset} in the frame, ready to decode. */
    Varints.In column(int f, int offset, int length) {
        byte[] fb = frame(f);
        int base;
        synchronized (this) {
            base = frameBase[f];
        }
        int start = base + offset;
        return new Varints.In(fb, start, start + length);
    }
}
