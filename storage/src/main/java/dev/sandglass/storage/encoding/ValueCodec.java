package dev.sandglass.storage.encoding;

/**
 * Encodes a run of float64 values with the cheapest {@link Encoding} that gives every bit pattern
 * back exactly. Integer and scaled-decimal paths are taken only after checking that each value
 * round-trips bit for bit (so -0.0, NaN payloads and the staleness marker fall through to XOR).
 * The integer forms are chosen and written by {@link IntColumnEncoder} (bit packing in
 * {@link FramePacker}); the packed and sparse ones are read by {@link FrameUnpacker}.
 */
public final class ValueCodec {
    private static final double[] POW10 = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
    private static final int MAX_SCALE = 6;
    private static final double MAX_EXACT = 9007199254740992.0; // 2^53

    private ValueCodec() {
    }

    /** Writes the encoding byte and the values. */
    public static Encoding encode(double[] v, int off, int n, Varints.Out out, long[] scratch) {
        long first = Double.doubleToRawLongBits(v[off]);
        boolean constant = true;
        for (int i = 1; i < n && constant; i++) {
            constant = Double.doubleToRawLongBits(v[off + i]) == first;
        }
        if (constant) {
            out.byte1(Encoding.CONST.id());
            out.long8(first);
            return Encoding.CONST;
        }
        if (asIntegers(v, off, n, scratch)) {
            return IntColumnEncoder.writeInts(scratch, n, out, false, -1);
        }
        for (int k = 1; k <= MAX_SCALE; k++) {
            if (asScaled(v, off, n, k, scratch)) {
                return IntColumnEncoder.writeInts(scratch, n, out, true, k);
            }
        }
        out.byte1(Encoding.XOR.id());
        long prev = first;
        out.long8(first);
        for (int i = 1; i < n; i++) {
            long bits = Double.doubleToRawLongBits(v[off + i]);
            long x = bits ^ prev;
            if (x == 0) {
                out.byte1(0);
            } else {
                int tz = Long.numberOfTrailingZeros(x);
                out.byte1(tz + 1);
                out.uvarint(x >>> tz);
            }
            prev = bits;
        }
        return Encoding.XOR;
    }

    private static boolean asIntegers(double[] v, int off, int n, long[] m) {
        for (int i = 0; i < n; i++) {
            double d = v[off + i];
            if (!(Math.abs(d) < MAX_EXACT) || d != Math.rint(d) || Double.doubleToRawLongBits(d) == Long.MIN_VALUE) {
                return false;
            }
            m[i] = (long) d;
        }
        return true;
    }

    private static boolean asScaled(double[] v, int off, int n, int k, long[] m) {
        double p = POW10[k];
        for (int i = 0; i < n; i++) {
            double d = v[off + i];
            double scaled = d * p;
            if (!(Math.abs(scaled) < MAX_EXACT)) {
                return false;
            }
            long r = Math.round(scaled);
            if (Double.doubleToRawLongBits(r / p) != Double.doubleToRawLongBits(d)) {
                return false;
            }
            m[i] = r;
        }
        return true;
    }

    /** Values per bit-packed frame (INT_PACKED, SCALED_PACKED). */
    static final int FRAME = 128;
    /** Deltas per bitmap of the sparse forms: one long. */
    static final int SPARSE_FRAME = 64;

    /** Reads {@code n} values written by {@link #encode} into dst[off..]. */
    public static void decode(Varints.In in, int n, double[] dst, int off) {
        Encoding e = Encoding.of(in.byte1());
        switch (e) {
            case CONST -> {
                double c = Double.longBitsToDouble(in.long8());
                for (int i = 0; i < n; i++) {
                    dst[off + i] = c;
                }
            }
            case XOR -> {
                long prev = in.long8();
                dst[off] = Double.longBitsToDouble(prev);
                for (int i = 1; i < n; i++) {
                    int b = in.byte1();
                    if (b != 0) {
                        prev ^= in.uvarint() << (b - 1);
                    }
                    dst[off + i] = Double.longBitsToDouble(prev);
                }
            }
            case INT_SPARSE, SCALED_SPARSE -> {
                int scale = e == Encoding.SCALED_SPARSE ? in.byte1() : 0;
                if (scale > MAX_SCALE) {
                    throw new CorruptBlockException("decimal scale " + scale + " out of range");
                }
                long m = in.svarint();
                long g = in.uvarint();
                try {
                    in.pos = FrameUnpacker.unpackSparse(in.buf, in.pos, in.end, n, m, g, scale == 0 ? 0 : POW10[scale], dst, off);
                } catch (ArrayIndexOutOfBoundsException ex) {
                    throw new CorruptBlockException("sparse value column runs past the end of its frame");
                }
            }
            case INT_PACKED, SCALED_PACKED, INT_DOD_PACKED, SCALED_DOD_PACKED -> {
                int scale = e == Encoding.SCALED_PACKED || e == Encoding.SCALED_DOD_PACKED ? in.byte1() : 0;
                if (scale > MAX_SCALE) {
                    throw new CorruptBlockException("decimal scale " + scale + " out of range");
                }
                boolean dod = e == Encoding.INT_DOD_PACKED || e == Encoding.SCALED_DOD_PACKED;
                long m = in.svarint();
                long d = dod && n > 1 ? in.svarint() : 0;
                long g = in.uvarint();
                try {
                    in.pos = FrameUnpacker.unpack(in.buf, in.pos, in.end, n, m, dod, d, g, scale == 0 ? 0 : POW10[scale], dst, off);
                } catch (ArrayIndexOutOfBoundsException ex) {
                    throw new CorruptBlockException("packed value column runs past the end of its frame");
                }
            }
            default -> {
                int scale = (e == Encoding.SCALED_DELTA || e == Encoding.SCALED_DOD) ? in.byte1() : 0;
                if (scale > MAX_SCALE) {
                    throw new CorruptBlockException("decimal scale " + scale + " out of range");
                }
                double p = POW10[scale];
                long m = in.svarint();
                dst[off] = scale == 0 ? (double) m : m / p;
                if (e == Encoding.INT_DELTA || e == Encoding.SCALED_DELTA) {
                    long g = in.uvarint();
                    for (int i = 1; i < n; i++) {
                        m += g == 0 ? 0 : in.svarint() * g;
                        dst[off + i] = scale == 0 ? (double) m : m / p;
                    }
                } else {
                    long d = n > 1 ? in.svarint() : 0;
                    long g = in.uvarint();
                    if (n > 1) {
                        m += d;
                        dst[off + 1] = scale == 0 ? (double) m : m / p;
                    }
                    for (int i = 2; i < n; i++) {
                        d += g == 0 ? 0 : in.svarint() * g;
                        m += d;
                        dst[off + i] = scale == 0 ? (double) m : m / p;
                    }
                }
            }
        }
    }
}
