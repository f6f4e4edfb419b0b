package dev.sandglass.storage.rollup;

import dev.sandglass.storage.encoding.ValueCodec;
import dev.sandglass.storage.encoding.Varints;
import java.util.Arrays;

/**
 * Builds one rollup excerpt series by series (layout in storage/FORMAT.md, "Rollup excerpt"), so
 * that a writer can see what a series takes before adding it and start another excerpt when the
 * queue's limit would be passed. Series must be added in ascending ref order.
 */
final class ExcerptBuilder {
    /** Bytes a series takes in the header at most (four uvarints of ints). */
    static final int SERIES_ENTRY_BYTES = 20;
    /** The fixed part of a header, with room for its three counts (superseded, committed, series). */
    static final int FIXED_HEADER_BYTES = 1 + 8 + 5 * 8 + 1 + 3 * 5;

    private final long resolutionMs;
    private final Varints.Out body = new Varints.Out(1 << 16);
    private final Varints.Out one = new Varints.Out(1 << 10);
    private long[] scratch = new long[64];
    private int[] refs = new int[64];
    private int[] windows = new int[64];
    private int[] offset = new int[64];
    private int[] length = new int[64];
    private int n;
    private long minT = Long.MAX_VALUE;
    private long maxT = Long.MIN_VALUE;
    /** What the series last encoded by {@link #encode} is, until {@link #take}. */
    private int oneRef;
    private int oneWindows;
    private long oneMinT;
    private long oneMaxT;

    ExcerptBuilder(long resolutionMs) {
        this.resolutionMs = resolutionMs;
    }

    long resolutionMs() {
        return resolutionMs;
    }

    /** Series in the excerpt so far. */
    int series() {
        return n;
    }

    /** The excerpt's size so far, its header counted at its largest (without superseded or committed indexes). */
    long bytes() {
        return FIXED_HEADER_BYTES + (long) n * SERIES_ENTRY_BYTES + body.length();
    }

    /**
     * Encodes windows [a, b) of {@code w} (in window order, b > a) as series {@code ref}, apart:
     * {@link #take} then adds them. Returns what they add to {@link #bytes}.
     */
    int encode(int ref, Windows w, int a, int b) {
        int k = b - a;
        if (scratch.length < k) {
            scratch = new long[Math.max(k, scratch.length * 2)];
        }
        one.reset();
        one.svarint(w.start[a] / resolutionMs);
        for (int i = a + 1; i < b; i++) {
            one.uvarint((w.start[i] - w.start[i - 1]) / resolutionMs);
        }
        for (int i = a; i < b; i++) {
            one.uvarint(w.firstT[i] - w.start[i]);
            one.uvarint(w.lastT[i] - w.firstT[i]);
        }
        // Column by column, in this order (a double[][] of them per call was 8% of a seal's allocations).
        ValueCodec.encode(w.count, a, k, one, scratch);
        ValueCodec.encode(w.sum, a, k, one, scratch);
        ValueCodec.encode(w.min, a, k, one, scratch);
        ValueCodec.encode(w.max, a, k, one, scratch);
        ValueCodec.encode(w.first, a, k, one, scratch);
        ValueCodec.encode(w.last, a, k, one, scratch);
        ValueCodec.encode(w.corr, a, k, one, scratch);
        ValueCodec.encode(w.chg, a, k, one, scratch);
        ValueCodec.encode(w.rst, a, k, one, scratch);
        oneRef = ref;
        oneWindows = k;
        oneMinT = w.firstT[a];
        oneMaxT = w.lastT[b - 1];
        return one.length() + SERIES_ENTRY_BYTES;
    }

    /** Adds the series last encoded. */
    void take() {
        if (n == refs.length) {
            int c = n * 2;
            refs = Arrays.copyOf(refs, c);
            windows = Arrays.copyOf(windows, c);
            offset = Arrays.copyOf(offset, c);
            length = Arrays.copyOf(length, c);
        }
        refs[n] = oneRef;
        windows[n] = oneWindows;
        offset[n] = body.length();
        length[n] = one.length();
        body.bytes(one.array(), 0, one.length());
        minT = Math.min(minT, oneMinT);
        maxT = Math.max(maxT, oneMaxT);
        n++;
    }

    /**
     * The excerpt's bytes, then empties the builder. {@code continued}: more parts of the same write
     * follow, and this one counts only once a later excerpt lists it in {@code commits}.
     */
    /**
     * An excerpt of no series that still covers raw blocks (their samples were all rolled up
     * before: written twice), dated by those samples' times so that retention ages it with them.
     */
    byte[] finishEmpty(long rawFrom, long rawIndex, long samplesMinT, long samplesMaxT) {
        minT = samplesMinT;
        maxT = samplesMaxT;
        return finish(rawFrom, rawIndex, new long[0], false, new long[0]);
    }

    byte[] finish(long rawFrom, long rawIndex, long[] supersedes, boolean continued, long[] commits) {
        Varints.Out head = new Varints.Out(FIXED_HEADER_BYTES + 8 * (supersedes.length + commits.length) + n * 12);
        head.byte1(RollupCodec.VERSION);
        head.long8(0); // header length, patched below
        head.long8(resolutionMs);
        head.long8(minT);
        head.long8(maxT);
        head.long8(rawFrom);
        head.long8(rawIndex);
        head.byte1(continued ? RollupCodec.CONTINUED : 0);
        head.uvarint(supersedes.length);
        for (long x : supersedes) {
            head.long8(x);
        }
        head.uvarint(commits.length);
        for (long x : commits) {
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
        body.reset();
        n = 0;
        minT = Long.MAX_VALUE;
        maxT = Long.MIN_VALUE;
        return out;
    }
}
