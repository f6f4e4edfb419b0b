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
    private final int tsSection;
    private final int[] frameSections;
    private long[][] groupTimestamps;
    /** The decompressed timestamp section, and where each group starts in it. */
    private byte[] tsBytes;
    /** Groups shorter than this are decoded again when asked for, rather than all kept. */
    private static final int SMALL_GROUP = 16;
    private int[] groupAt;
    private final byte[][] frameBytes;
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
        int p = skipSection(tsSection);
        for (int i = 0; i < frameSections.length; i++) {
            frameSections[i] = p;
            p = skipSection(p);
        }
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
        tsSection = in.position();
        frameSections = new int[nf];
        frameBytes = new byte[nf][];
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

    private byte[] section(int at) {
        Varints.In in = new Varints.In(bytes, at, bytes.length);
        int flag = in.byte1();
        int raw = (int) in.uvarint();
        int stored = (int) in.uvarint();
        int start = in.position();
        if (flag == 0) {
            return Arrays.copyOfRange(bytes, start, start + stored);
        }
        if (flag != 1) {
            throw new CorruptBlockException("unknown section compression " + flag + " at byte " + at);
        }
        byte[] out = new byte[raw];
        long n = Zstd.decompressByteArray(out, 0, raw, bytes, start, stored);
        if (Zstd.isError(n) || n != raw) {
            throw new CorruptBlockException("zstd section at byte " + at + " does not decompress to " + raw + " bytes");
        }
        return out;
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
            tsBytes = section(tsSection);
            groupAt = new int[groupSizes.length];
            groupTimestamps = new long[groupSizes.length][];
            Varints.In in = new Varints.In(tsBytes, 0, tsBytes.length);
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

    /** The decompressed value frame {@code f}, decompressed on first use. */
    private synchronized byte[] frame(int f) {
        if (frameBytes[f] == null) {
            frameBytes[f] = section(frameSections[f]);
        }
        return frameBytes[f];
    }

    /** Values of the i-th series of the block. */
    public double[] values(int i) {
        double[] out = new double[sampleCount(i)];
        int offset = field(i, 2);
        ValueCodec.decode(new Varints.In(frame(field(i, 1)), offset, offset + field(i, 3)), out.length, out, 0);
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
        if (from == 0 && to == n) {
            byte[] fb = frame(field(i, 1));
            int offset = field(i, 2);
            int end = offset + field(i, 3);
            out.appendDecoded(ts, 0, n, dst -> ValueCodec.decode(new Varints.In(fb, offset, end), n, dst.values(), dst.at()));
        } else {
            double[] vs = values(i);
            out.addAll(ts, vs, from, to);
        }
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
