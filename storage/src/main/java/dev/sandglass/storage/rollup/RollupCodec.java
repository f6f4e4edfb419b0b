package dev.sandglass.storage.rollup;

import dev.sandglass.storage.encoding.CorruptBlockException;
import dev.sandglass.storage.encoding.ValueCodec;
import dev.sandglass.storage.encoding.Varints;
import dev.sandglass.storage.util.RefSet;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes of one rollup excerpt: the windows of many series at one resolution. Layout in
 * storage/FORMAT.md ("Rollup excerpt"). Values go through {@link ValueCodec}, bit-exact.
 */
public final class RollupCodec {
    /**
     * The version written: 3, with the changes and resets columns. Still read: version 2 (no such
     * columns: they read as NaN, unknown) and version 1 (no flags, no commits either).
     */
    static final int VERSION = 3;
    /** Flag bit: a part of a write that more parts follow; it counts once a later excerpt commits it. */
    static final int CONTINUED = 1;

    private RollupCodec() {
    }

    /**
     * What a reader keeps of an excerpt in memory: its series' refs (see {@link RefSet}) and, by
     * position among them, their windows and bytes in the body (see {@link ExcerptSeries}).
     */
    public record Header(long resolutionMs, long minT, long maxT, long rawFrom, long rawIndex, boolean continued, long[] supersedes,
            long[] commits, RefSet refs, ExcerptSeries series, int bodyStart, int version) {
        /** The position of {@code ref} among the excerpt's series, or a negative number when it has none. */
        public int indexOf(int ref) {
            return refs.rank(ref);
        }

        public int windows(int i) {
            return series.windows(i);
        }

        public int offset(int i) {
            return series.offset(i);
        }

        public int length(int i) {
            return series.length(i);
        }
    }

    /**
     * Encodes the series' windows (refs in any order) as one excerpt, whatever its size; they cover
     * the raw blocks with indexes in [rawFrom, rawIndex] (both -1 when none). Null when there is no
     * window. Writers of many series use {@link RollupWriter}, which splits them under the limit.
     */
    public static byte[] encode(long resolutionMs, Map<Integer, Windows> series, long rawFrom, long rawIndex) {
        return encode(resolutionMs, series, rawFrom, rawIndex, new long[0], new long[0]);
    }

    /**
     * As above, for a compacted excerpt that replaces the excerpts at {@code supersedes} (their
     * windows merged) and takes over the commits of those it replaces ({@code commits}).
     */
    public static byte[] encode(long resolutionMs, Map<Integer, Windows> series, long rawFrom, long rawIndex, long[] supersedes,
            long[] commits) {
        TreeMap<Integer, Windows> sorted = new TreeMap<>();
        for (var e : series.entrySet()) {
            if (e.getValue().size > 0) {
                sorted.put(e.getKey(), e.getValue().inWindowOrder());
            }
        }
        if (sorted.isEmpty()) {
            return null;
        }
        ExcerptBuilder b = new ExcerptBuilder(resolutionMs);
        for (var e : sorted.entrySet()) {
            b.encode(e.getKey(), e.getValue(), 0, e.getValue().size);
            b.take();
        }
        return b.finish(rawFrom, rawIndex, supersedes, false, commits);
    }

    /** The header length stored in an excerpt's first bytes (at least 9 available). */
    static long headerLength(byte[] b) {
        if (b[0] < 1 || b[0] > VERSION) {
            throw new CorruptBlockException("unknown rollup excerpt version " + b[0]);
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (b[1 + i] & 0xFFL) << (8 * i);
        }
        return v;
    }

    /** Parses a header from the first bytes of an excerpt (at least its header length). */
    static Header header(byte[] b) {
        int headerLen = (int) headerLength(b);
        Varints.In in = new Varints.In(b, 9, headerLen);
        long res = in.long8();
        long minT = in.long8();
        long maxT = in.long8();
        long rawFrom = in.long8();
        long rawIndex = in.long8();
        boolean v1 = b[0] == 1;
        int flags = v1 ? 0 : in.byte1();
        long[] supersedes = indexes(in, headerLen, "superseded");
        long[] commits = v1 ? new long[0] : indexes(in, headerLen, "committed");
        int n = (int) in.uvarint();
        if (res <= 0 || n < 0 || n > headerLen) {
            throw new CorruptBlockException("bad rollup header (resolution " + res + ", " + n + " series in " + headerLen + " bytes)");
        }
        int[] refs = new int[n];
        int[] windows = new int[n];
        int[] offset = new int[n];
        int[] length = new int[n];
        for (int i = 0; i < n; i++) {
            refs[i] = (int) in.uvarint();
            windows[i] = (int) in.uvarint();
            offset[i] = (int) in.uvarint();
            length[i] = (int) in.uvarint();
            if (i > 0 && refs[i] <= refs[i - 1]) {
                throw new CorruptBlockException("bad rollup header (series " + refs[i] + " after " + refs[i - 1] + ")");
            }
        }
        return new Header(res, minT, maxT, rawFrom, rawIndex, (flags & CONTINUED) != 0, supersedes, commits, RefSet.ofSorted(refs),
                new ExcerptSeries(windows, offset, length), headerLen, b[0]);
    }

    private static long[] indexes(Varints.In in, int headerLen, String what) {
        int k = (int) in.uvarint();
        if (k < 0 || k > headerLen / 8) {
            throw new CorruptBlockException("bad rollup header (" + k + " " + what + " excerpts in " + headerLen + " bytes)");
        }
        long[] out = new long[k];
        for (int i = 0; i < k; i++) {
            out[i] = in.long8();
        }
        return out;
    }

    /** Decodes series {@code i} of an excerpt (its full bytes). */
    static Windows decode(byte[] b, Header h, int i) {
        Windows w = new Windows(h.resolutionMs(), h.windows(i));
        columns(b, h, i, w, 0);
        w.size = h.windows(i);
        return w;
    }

    /**
     * Decodes series {@code i} of an excerpt onto the end of {@code w} (same resolution, in window
     * order) when its windows follow w's last one (the first may share it, with samples after
     * w's last sample there: then they are merged), as {@link Windows#merge} would place them.
     * Otherwise returns false and leaves w's windows as they were.
     */
    static boolean decodeOnto(byte[] b, Header h, int i, Windows w) {
        int n = h.windows(i);
        if (n == 0) {
            return true;
        }
        w.reserve(n);
        int at = w.size;
        if (!columns(b, h, i, w, at)) {
            return false;
        }
        if (at > 0) {
            long prev = w.start[at - 1];
            if (w.start[at] < prev || (w.start[at] == prev && w.firstT[at] <= w.lastT[at - 1])) {
                return false;
            }
            if (w.start[at] == prev) {
                w.mergeInto(at - 1, w, at);
                w.remove(at, 1, at + n);
                n--;
            }
        }
        w.size = at + n;
        return true;
    }

    /** Decodes series i's columns into w's arrays from {@code at}; false when its windows are not strictly in order. */
    private static boolean columns(byte[] b, Header h, int i, Windows w, int at) {
        int n = h.windows(i);
        int from = h.bodyStart() + h.offset(i);
        int to = from + h.length(i);
        if (to > b.length) {
            throw new CorruptBlockException("rollup series " + h.refs().get(i) + " runs past the excerpt (" + to + " > " + b.length + ")");
        }
        Varints.In in = new Varints.In(b, from, to);
        long res = h.resolutionMs();
        boolean ordered = true;
        long s = in.svarint() * res;
        w.start[at] = s;
        for (int k = 1; k < n; k++) {
            long d = in.uvarint();
            ordered &= d > 0;
            s += d * res;
            w.start[at + k] = s;
        }
        for (int k = at; k < at + n; k++) {
            w.firstT[k] = w.start[k] + in.uvarint();
            w.lastT[k] = w.firstT[k] + in.uvarint();
        }
        ValueCodec.decode(in, n, w.count, at);
        ValueCodec.decode(in, n, w.sum, at);
        ValueCodec.decode(in, n, w.min, at);
        ValueCodec.decode(in, n, w.max, at);
        ValueCodec.decode(in, n, w.first, at);
        ValueCodec.decode(in, n, w.last, at);
        ValueCodec.decode(in, n, w.corr, at);
        if (h.version() >= 3) {
            ValueCodec.decode(in, n, w.chg, at);
            ValueCodec.decode(in, n, w.rst, at);
        } else {
            Arrays.fill(w.chg, at, at + n, Double.NaN);
            Arrays.fill(w.rst, at, at + n, Double.NaN);
        }
        return ordered;
    }
}
