package dev.sandglass.storage.encoding;

/** Timestamps as first value, first delta, then delta-of-deltas, all zigzag varints. */
public final class TimestampCodec {
    private TimestampCodec() {
    }

    public static void encode(long[] t, int off, int n, Varints.Out out) {
        out.svarint(t[off]);
        if (n > 1) {
            out.svarint(t[off + 1] - t[off]);
        }
        for (int i = 2; i < n; i++) {
            out.svarint((t[off + i] - t[off + i - 1]) - (t[off + i - 1] - t[off + i - 2]));
        }
    }

    public static void decode(Varints.In in, int n, long[] dst, int off) {
        long t = in.svarint();
        dst[off] = t;
        if (n > 1) {
            long d = in.svarint();
            t += d;
            dst[off + 1] = t;
            for (int i = 2; i < n; i++) {
                d += in.svarint();
                t += d;
                dst[off + i] = t;
            }
        }
    }
}
