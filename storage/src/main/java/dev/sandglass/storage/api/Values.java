package dev.sandglass.storage.api;

/** Special float64 values shared by every layer. */
public final class Values {
    /** Prometheus's staleness marker: a NaN with this exact bit pattern ends a series for lookback. */
    public static final long STALE_NAN_BITS = 0x7ff0000000000002L;
    public static final double STALE_NAN = Double.longBitsToDouble(STALE_NAN_BITS);

    private Values() {
    }

    public static boolean isStaleNaN(double v) {
        return Double.doubleToRawLongBits(v) == STALE_NAN_BITS;
    }
}
