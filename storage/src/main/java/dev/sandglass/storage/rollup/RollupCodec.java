package dev.sandglass.storage.rollup;

import dev.sandglass.storage.encoding.CorruptBlockException;
import dev.sandglass.storage.encoding.ValueCodec;
import dev.sandglass.storage.encoding.Varints;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes of one rollup excerpt: the windows of many series at one resolution. Layout in
 * storage/FORMAT.md ("Rollup excerpt"). Values go through {@link ValueCodec}, bit-exact.
 */
public final class RollupCodec {
    static final int VERSION = 1;

    private RollupCodec() {
    }

    /** What a reader keeps of an excerpt in memory; {@code refs} sorted. */
    public record Header(long resolutionMs, long minT, long maxT, long rawFrom, long rawIndex, long[] supersedes, int[] refs, int[] windows, int[] offset,
            int[] length, int bodyStart) {
        public int indexOf(int ref) {
            return Arrays.binarySearch(refs, ref);
        }
    }

    /**
     * Encodes the series' windows (refs in any order); they cover the raw blocks with indexes in
     * [rawFrom, rawIndex] (both -1 when none). Null when there is no window.
     */
    public static byte[] encode(long resolutionMs, Map<Integer, Windows> series, long rawFrom, long rawIndex) {
        return encode(resolutionMs, series, rawFrom, rawIndex, new long[0]);
    }

    /** As above, for a compacted excerpt that replaces the excerpts at {@code supersedes} (their windows merged). */
    public static byte[] encode(long resolutionMs, Map<Integer, Windows> series, long rawFrom, long rawIndex, long[] supersedes) {
        TreeMap<Integer, Windows> sorted = new TreeMap<>();
        for (var e : series.entrySet()) {
            if (e.getValue().size > 0) {
                sorted.put(e.getKey(), e.getValue().inWindowOrder());
            }
        }
        if (sorted.isEmpty()) {
            return null;
        }
        Varints.Out body = new Varints.Out(1 << 16);
        int n = sorted.size();
        int[] refs = new int[n];
        int[] windows = new int[n];
        int[] offset = new int[n];
        int[] length = new int[n];
        long minT = Long.MAX_VALUE;
        long maxT = Long.MIN_VALUE;
        int maxW = 1;
        for (Windows w : sorted.values()) {
            maxW = Math.max(maxW, w.size);
        }
        long[] scratch = new long[maxW];
        int k = 0;
        for (var e : sorted.entrySet()) {
            Windows w = e.getValue();
            refs[k] = e.getKey();
            windows[k] = w.size;
            offset[k] = body.length();
            body.svarint(w.start[0] / resolutionMs);
            for (int i = 1; i < w.size; i++) {
                body.uvarint((w.start[i] - w.start[i - 1]) / resolutionMs);
            }
            for (int i = 0; i < w.size; i++) {
                body.uvarint(w.firstT[i] - w.start[i]);
                body.uvarint(w.lastT[i] - w.firstT[i]);
            }
            for (double[] col : new double[][] {w.count, w.sum, w.min, w.max, w.first, w.last, w.corr}) {
                ValueCodec.encode(col, 0, w.size, body, scratch);
            }
            length[k] = body.length() - offset[k];
            minT = Math.min(minT, w.firstT[0]);
            maxT = Math.max(maxT, w.lastT[w.size - 1]);
            k++;
        }
        Varints.Out head = new Varints.Out(64 + n * 12);
        head.byte1(VERSION);
        head.long8(0); // header length, patched below
        head.long8(resolutionMs);
        head.long8(minT);
        head.long8(maxT);
        head.long8(rawFrom);
        head.long8(rawIndex);
        head.uvarint(supersedes.length);
        for (long x : supersedes) {
            head.long8(x);
        }
        head.uvarint(n);
        for (int i = 0; i < n; i++) {
            head.uvarint(refs[i]);
            head.uvarint(windows[i]);
            head.uvarint(offset[i]);
            head.uvarint(length[i]);
        }
        int headerLen = head.length();
        byte[] out = new byte[headerLen + body.length()];
        System.arraycopy(head.array(), 0, out, 0, headerLen);
        for (int i = 0; i < 8; i++) {
            out[1 + i] = (byte) ((long) headerLen >>> (8 * i));
        }
        System.arraycopy(body.array(), 0, out, headerLen, body.length());
        return out;
    }

    /** The header length stored in an excerpt's first bytes (at least 9 available). */
    static long headerLength(byte[] b) {
        if (b[0] != VERSION) {
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
        int replaced = (int) in.uvarint();
        if (replaced < 0 || replaced > headerLen / 8) {
            throw new CorruptBlockException("bad rollup header (" + replaced + " superseded excerpts in " + headerLen + " bytes)");
        }
        long[] supersedes = new long[replaced];
        for (int i = 0; i < replaced; i++) {
            supersedes[i] = in.long8();
        }
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
        }
        return new Header(res, minT, maxT, rawFrom, rawIndex, supersedes, refs, windows, offset, length, headerLen);
    }

    /** Decodes series {@code i} of an excerpt (its full bytes). */
    static Windows decode(byte[] b, Header h, int i) {
        Windows w = new Windows(h.resolutionMs(), h.windows()[i]);
        columns(b, h, i, w, 0);
        w.size = h.windows()[i];
        return w;
    }

    /**
     * Decodes series {@code i} of an excerpt onto the end of {@code w} (same resolution, in window
     * order) when its windows follow w's last one (the first may share it, with samples after
     * w's last sample there: then they are merged), as {@link Windows#merge} would place them.
     * Otherwise returns false and leaves w's windows as they were.
     */
    static boolean decodeOnto(byte[] b, Header h, int i, Windows w) {
        int n = h.windows()[i];
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
        int n = h.windows()[i];
        int from = h.bodyStart() + h.offset()[i];
        int to = from + h.length()[i];
        if (to > b.length) {
            throw new CorruptBlockException("rollup series " + h.refs()[i] + " runs past the excerpt (" + to + " > " + b.length + ")");
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
        return ordered;
    }
}
