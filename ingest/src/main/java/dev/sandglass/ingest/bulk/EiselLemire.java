package dev.sandglass.ingest.bulk;

import java.math.BigInteger;

/**
 * The Eisel-Lemire algorithm (Lemire, "Number Parsing at a Gigabyte per Second", 2021; what Go's
 * strconv.ParseFloat and Prometheus use): {@code w * 10^q} correctly rounded to a double from a
 * 128-bit approximation of {@code 5^q}, with no allocation. It gives up (returns NaN) in the rare
 * cases where the approximation cannot decide the rounding; the caller then takes the exact slow
 * path. This version gives up in a superset of the original's cases (any product whose bits
 * below the rounding bit are all ones, or all zeros under an odd-to-even tie), which only costs
 * speed on about one value in 500.
 */
final class EiselLemire {
    static final int MIN_Q = -342;
    static final int MAX_Q = 308;
    /** floor(5^q) normalized to [2^127, 2^128): high and low 64 bits, for q in [MIN_Q, MAX_Q]. */
    private static final long[] HI = new long[MAX_Q - MIN_Q + 1];
    private static final long[] LO = new long[MAX_Q - MIN_Q + 1];

    static {
        BigInteger five = BigInteger.valueOf(5);
        BigInteger mask = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        for (int q = MIN_Q; q <= MAX_Q; q++) {
            BigInteger t;
            if (q >= 0) {
                BigInteger p = five.pow(q);
                int shift = 128 - p.bitLength();
                t = shift >= 0 ? p.shiftLeft(shift) : p.shiftRight(-shift);
            } else {
                BigInteger p = five.pow(-q);
                t = BigInteger.ONE.shiftLeft(127 + p.bitLength()).divide(p);
            }
            HI[q - MIN_Q] = t.shiftRight(64).longValue();
            LO[q - MIN_Q] = t.and(mask).longValue();
        }
    }

    private EiselLemire() {
    }

    /** {@code w * 10^q} (w read as unsigned, non-zero), correctly rounded; NaN when undecided. */
    static double compute(long w, int q, boolean negative) {
        if (q < MIN_Q || q > MAX_Q) {
            return Double.NaN;
        }
        int lz = Long.numberOfLeadingZeros(w);
        w <<= lz;
        long thi = HI[q - MIN_Q];
        long tlo = LO[q - MIN_Q];
        // The 192-bit product w * (thi:tlo); its top 128 bits are upper:middle.
        long upper = unsignedMultiplyHigh(w, thi);
        long lower = w * thi;
        long middle2 = unsignedMultiplyHigh(w, tlo);
        long middle = lower + middle2;
        if (Long.compareUnsigned(middle, lower) < 0) {
            upper++;
        }
        // The table is rounded down, so the true product is at most one above upper:middle in
        // middle's last place: only bits below the rounding bit that are all ones can carry.
        if ((upper & 0x1FF) == 0x1FF) {
            return Double.NaN;
        }
        long upperBit = upper >>> 63;
        long mantissa = upper >>> (upperBit + 9);
        lz += (int) (1 ^ upperBit);
        // All zeros below the rounding bit: a tie or just above one; round-to-even cannot tell.
        if ((upper & 0x1FF) == 0 && (mantissa & 3) == 1) {
            return Double.NaN;
        }
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        if (mantissa >= (1L << 53)) {
            mantissa = 1L << 52;
            lz--;
        }
        mantissa &= ~(1L << 52);
        long exponent = (((152170L + 65536L) * q) >> 16) + 1024 + 63 - lz;
        if (exponent < 1 || exponent > 2046) {
            return Double.NaN; // subnormal or infinite: the slow path
        }
        double d = Double.longBitsToDouble(mantissa | exponent << 52);
        return negative ? -d : d;
    }

    /** Math.unsignedMultiplyHigh, which Java 17 does not have yet. */
    static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }
}
