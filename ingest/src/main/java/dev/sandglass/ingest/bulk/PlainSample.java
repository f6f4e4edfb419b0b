package dev.sandglass.ingest.bulk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The rest of a sample line in its plainest, most common form, read in one pass with no scan
 * ahead for the line's end: {@code VALUE TIMESTAMP\n}, one space between, the value a decimal of
 * at most 15 significant digits ({@code -12.5}, {@code 0.0108}, {@code 5529.0}) and the timestamp
 * whole seconds with at most three decimals (OpenMetrics) or integer milliseconds. The results
 * are exactly what the general path ({@link FloatParser}, {@link ChunkParser#secondsToMs}) gives
 * for the same text: a line in any other form (exponents, Inf/NaN, long mantissas, more than
 * millisecond precision, tabs, CR, exemplars, the end of the buffer) is declined, and the caller
 * takes the general path, which also reports what is wrong with a bad line.
 */
final class PlainSample {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final double[] POW10 = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
        1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /** After a successful {@link #read}: the value, the timestamp (ms) and the next line's start. */
    double value;
    long timestampMs;
    int next;

    /** Reads {@code VALUE TIMESTAMP\n} from {@code p}; false (fields undefined) when the line is not in that form. */
    boolean read(byte[] b, int p, int limit, boolean secondsTimestamps) {
        // The value: [-]digits[.digits], then one space.
        boolean neg = false;
        if (p < limit && b[p] == '-') {
            neg = true;
            p++;
        }
        long mant = 0;
        int significant = 0;
        int start = p;
        int c;
        while (p < limit && (c = b[p] - '0') >= 0 && c <= 9) {
            if (mant != 0 || c != 0) {
                significant++;
                mant = mant * 10 + c;
            }
            p++;
        }
        if (p == start || p >= limit) {
            return false;
        }
        int frac = 0;
        if (b[p] == '.') {
            p++;
            int fs = p;
            while (p < limit && (c = b[p] - '0') >= 0 && c <= 9) {
                if (mant != 0 || c != 0) {
                    significant++;
                    mant = mant * 10 + c;
                }
                p++;
            }
            frac = p - fs;
            if (frac == 0 || p >= limit) {
                return false;
            }
        }
        // Up to 15 significant digits and 10^-22..: mantissa and power are exact doubles, so one
        // division rounds correctly (Clinger), as FloatParser does.
        if (significant > 15 || frac > 22 || b[p] != ' ') {
            return false;
        }
        double v = mant == 0 ? 0.0 : frac == 0 ? (double) mant : mant / POW10[frac];
        value = neg ? -v : v;
        p++;
        // The timestamp, then the newline.
        long whole;
        int digits;
        if (p + 8 <= limit) {
            long eight = (long) LONGS.get(b, p);
            if (allDigits(eight)) {
                whole = eightDigits(eight);
                p += 8;
                digits = 8;
            } else {
                whole = 0;
                digits = 0;
            }
        } else {
            whole = 0;
            digits = 0;
        }
        while (p < limit && (c = b[p] - '0') >= 0 && c <= 9) {
            whole = whole * 10 + c;
            p++;
            digits++;
        }
        if (digits == 0 || p >= limit) {
            return false;
        }
        if (!secondsTimestamps) {
            if (digits > 18 || b[p] != '\n') {
                return false;
            }
            timestampMs = whole;
            next = p + 1;
            return true;
        }
        if (digits > 15) {
            return false;
        }
        long ms = 0;
        int fracDigits = 0;
        if (b[p] == '.') {
            p++;
            while (p < limit && (c = b[p] - '0') >= 0 && c <= 9) {
                if (++fracDigits > 3) {
                    return false; // finer than a millisecond: the general path rounds exactly
                }
                ms = ms * 10 + c;
                p++;
            }
            if (p >= limit) {
                return false;
            }
        }
        if (b[p] != '\n') {
            return false;
        }
        for (; fracDigits < 3; fracDigits++) {
            ms *= 10;
        }
        timestampMs = whole * 1000 + ms;
        next = p + 1;
        return true;
    }

    /** Whether all eight bytes (little-endian in the long) are ASCII digits. */
    static boolean allDigits(long x) {
        return ((x & 0xF0F0F0F0F0F0F0F0L) | (((x + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) >>> 4)) == 0x3333333333333333L;
    }

    /** The number eight ASCII digits spell, the first (lowest) byte most significant. */
    static long eightDigits(long x) {
        x = (x & 0x0F0F0F0F0F0F0F0FL) * 2561 >>> 8;
        x = (x & 0x00FF00FF00FF00FFL) * 6553601 >>> 16;
        return (x & 0x0000FFFF0000FFFFL) * 42949672960001L >>> 32;
    }
}
