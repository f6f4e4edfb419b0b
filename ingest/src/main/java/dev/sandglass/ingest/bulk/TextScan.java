package dev.sandglass.ingest.bulk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level scanning of the text import formats for {@link ChunkParser}: the next line end, and
 * timestamps in integer milliseconds or in seconds with a fraction, read exactly from the digits.
 */
final class TextScan {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private TextScan() {
    }

    /** First '\n' in [from, to), or -1; eight bytes at a time (the zero-byte trick on word ^ 0x0a..). */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long t = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (t != 0) {
                // The lowest flagged byte is exact; false positives only sit above a true match.
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Integer milliseconds. */
    static long millis(byte[] b, int s, int e) {
        int i = s;
        boolean neg = false;
        if (b[i] == '-') {
            neg = true;
            i++;
        }
        if (i == e || e - i > 18) {
            throw new NumberFormatException();
        }
        long v = 0;
        for (; i < e; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException();
            }
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    /** Seconds with an optional fraction, to milliseconds exactly on the digits (no float rounding). */
    static long secondsToMs(byte[] b, int s, int e) {
        int i = s;
        boolean neg = false;
        if (b[i] == '-') {
            neg = true;
            i++;
        }
        long secs = 0;
        int intDigits = 0;
        while (i < e && b[i] >= '0' && b[i] <= '9') {
            secs = secs * 10 + (b[i] - '0');
            i++;
            intDigits++;
        }
        long ms = 0;
        int frac = 0;
        if (i < e && b[i] == '.') {
            i++;
            while (i < e && b[i] >= '0' && b[i] <= '9' && frac < 3) {
                ms = ms * 10 + (b[i] - '0');
                i++;
                frac++;
            }
        }
        if (i != e || intDigits == 0 || intDigits > 15) {
            // More than ms precision, an exponent, or something odd: exact decimal arithmetic.
            BigDecimal d = new BigDecimal(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
            // Integer digits checked before rounding: setScale(0) of 1e999999999 would build a
            // billion-digit number, and longValueExact would throw past the range of a long.
            if (d.signum() != 0 && d.precision() - d.scale() > 16) {
                throw new NumberFormatException("timestamp out of range");
            }
            try {
                return d.movePointRight(3).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
            } catch (ArithmeticException tooBig) {
                throw new NumberFormatException("timestamp out of range");
            }
        }
        while (frac < 3) {
            ms *= 10;
            frac++;
        }
        long v = secs * 1000 + ms;
        return neg ? -v : v;
    }
}
