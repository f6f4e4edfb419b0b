package dev.sandglass.storage.encoding;

/**
 * The integer forms of a value column (plain or scaled decimals, see {@link Encoding}): picks the
 * smallest of varint deltas, varint delta-of-deltas, their bit-packed forms and sparse deltas, and
 * writes it. {@link ValueCodec} decides that a column is integers (or exact decimals) at all and
 * hands the integers here.
 */
final class IntColumnEncoder {
    private IntColumnEncoder() {
    }

    /**
     * Varint deltas, varint delta-of-deltas, bit-packed deltas or delta-of-deltas, or sparse
     * deltas, each divided by the gcd of its terms: whichever is smallest.
     */
    static Encoding writeInts(long[] m, int n, Varints.Out out, boolean scaled, int scale) {
        long gd = 0;
        long gdd = 0;
        for (int i = 1; i < n; i++) {
            long d = m[i] - m[i - 1];
            // The divisor only shrinks: a term it already divides leaves it as it is (one test
            // instead of the modulo loop), and once it is 1 nothing changes it.
            if (gd != 1 && !divides(gd, d)) {
                gd = gcd(gd, Math.abs(d));
            }
            if (i >= 2 && gdd != 1) {
                long dd = d - (m[i - 1] - m[i - 2]);
                if (!divides(gdd, dd)) {
                    gdd = gcd(gdd, Math.abs(dd));
                }
            }
        }
        // Terms divided once (a shift for a power-of-two divisor such as a page size): q[i - 1]
        // for the delta at i, qq[i - 2] for the delta-of-delta at i.
        long[][] tmp = TERMS.get();
        if (tmp[0].length < n) {
            tmp[0] = new long[n];
            tmp[1] = new long[n];
        }
        long[] q = tmp[0];
        long[] qq = tmp[1];
        // Every term is an exact multiple of its divisor g = 2^k * o (o odd): the quotient is
        // (t >> k) times the inverse of o modulo 2^64, a shift and a multiply instead of a division.
        int kD = gd == 0 ? 0 : Long.numberOfTrailingZeros(gd);
        long invD = gd == 0 ? 0 : inverse(gd >> kD);
        int kDD = gdd == 0 ? 0 : Long.numberOfTrailingZeros(gdd);
        long invDD = gdd == 0 ? 0 : inverse(gdd >> kDD);
        long sizeD = 0;
        long sizeDD = 0;
        for (int i = 1; i < n; i++) {
            long d = m[i] - m[i - 1];
            long t = (d >> kD) * invD;
            q[i - 1] = t;
            sizeD += len(t);
            if (i >= 2) {
                long dd = d - (m[i - 1] - m[i - 2]);
                long tt = (dd >> kDD) * invDD;
                qq[i - 2] = tt;
                sizeDD += len(tt);
            }
        }
        long sizeP = FramePacker.packedSize(q, n - 1);
        long sizePD = FramePacker.packedSize(qq, Math.max(0, n - 2));
        long sizeS = FramePacker.sparseSize(q, n - 1);
        // A zero divisor means every term is zero and none is written.
        if (gd == 0) {
            sizeD = 0;
        }
        if (gdd == 0) {
            sizeDD = 0;
        }
        // The smallest form; on a tie the packed ones (faster to decode), and a zero divisor (all
        // terms zero, none written) keeps its varint form.
        long packedD = gd == 0 ? Long.MAX_VALUE : sizeP;
        long packedDD = n <= 2 || gdd == 0 ? Long.MAX_VALUE : sizePD;
        long varintDD = n <= 2 ? Long.MAX_VALUE : sizeDD;
        long sparse = gd == 0 ? Long.MAX_VALUE : sizeS;
        long best = Math.min(Math.min(Math.min(sizeD, varintDD), Math.min(packedD, packedDD)), sparse);
        Encoding e;
        if (sparse == best && sparse < packedD && sparse < packedDD && sparse < sizeD && sparse < varintDD) {
            e = scaled ? Encoding.SCALED_SPARSE : Encoding.INT_SPARSE;
        } else if (packedDD == best && packedDD < varintDD) {
            e = scaled ? Encoding.SCALED_DOD_PACKED : Encoding.INT_DOD_PACKED;
        } else if (packedD == best && packedD < sizeD && packedD < varintDD) {
            e = scaled ? Encoding.SCALED_PACKED : Encoding.INT_PACKED;
        } else if (varintDD == best && varintDD < sizeD) {
            e = scaled ? Encoding.SCALED_DOD : Encoding.INT_DOD;
        } else {
            e = scaled ? Encoding.SCALED_DELTA : Encoding.INT_DELTA;
        }
        out.byte1(e.id());
        if (scale > 0) {
            out.byte1(scale);
        }
        out.svarint(m[0]);
        if (e == Encoding.INT_DOD || e == Encoding.SCALED_DOD) {
            out.svarint(m[1] - m[0]);
            out.uvarint(gdd);
            if (gdd != 0) {
                for (int i = 2; i < n; i++) {
                    out.svarint(qq[i - 2]);
                }
            }
        } else if (e == Encoding.INT_PACKED || e == Encoding.SCALED_PACKED) {
            out.uvarint(gd);
            FramePacker.pack(q, n - 1, out);
        } else if (e == Encoding.INT_DOD_PACKED || e == Encoding.SCALED_DOD_PACKED) {
            out.svarint(m[1] - m[0]);
            out.uvarint(gdd);
            FramePacker.pack(qq, n - 2, out);
        } else if (e == Encoding.INT_SPARSE || e == Encoding.SCALED_SPARSE) {
            out.uvarint(gd);
            FramePacker.packSparse(q, n - 1, out, qq);
        } else {
            out.uvarint(gd);
            if (gd != 0) {
                for (int i = 1; i < n; i++) {
                    out.svarint(q[i - 1]);
                }
            }
        }
        return e;
    }

    /** Per-thread buffers for the divided terms of {@link #writeInts}. */
    private static final ThreadLocal<long[][]> TERMS = ThreadLocal.withInitial(() -> new long[][] {new long[0], new long[0]});

    /**
     * Bytes of {@code v}'s zigzag varint. A shift per byte rather than numberOfLeadingZeros: the
     * terms are mostly one or two bytes, and the client compiler (offline import) does not make
     * that call an instruction, so it cost a call per term, twice per value.
     */
    static int len(long v) {
        long z = Varints.zigzag(v);
        int n = 1;
        while ((z >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    /** Whether {@code g} (not 0) divides {@code t}: a mask for a power of two, else one modulo. */
    private static boolean divides(long g, long t) {
        return g != 0 && ((g & (g - 1)) == 0 ? (t & (g - 1)) == 0 : t % g == 0);
    }

    /** The inverse of odd {@code o} modulo 2^64 (Newton's iteration doubles the correct bits). */
    static long inverse(long o) {
        long x = o; // correct to 3 bits for odd o
        for (int i = 0; i < 5; i++) {
            x *= 2 - o * x;
        }
        return x;
    }

    static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
