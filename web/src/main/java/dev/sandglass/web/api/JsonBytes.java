package dev.sandglass.web.api;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * JSON written as UTF-8 bytes, for the answers whose size is their cost (a fleet of a thousand
 * sandboxes, a day of raw points): keys are spelled once as bytes, integral numbers are written as
 * longs, other doubles take {@link PromFormat}'s shortest form, times reuse their day's prefix.
 * The bytes are those that {@link JsonWriter} and {@link SandboxJson}'s text forms would give once
 * encoded (tests hold them equal). Either one growing array ({@link #toByteArray}), or chunks
 * handed to a {@link Sink} as they fill, so a large answer is sent in pieces, never held whole.
 */
public final class JsonBytes {
    /** Takes a filled chunk; it owns {@code chunk} afterwards (the writer starts a new one). */
    public interface Sink {
        void take(byte[] chunk, int length);

        /**
         * An array of at least {@code size} bytes to write the next chunk into: a new one, or one
         * taken before that the sink is done with (once sent), so a long answer reuses a few
         * arrays instead of allocating (and zeroing) one per chunk.
         */
        default byte[] next(int size) {
            return new byte[size];
        }
    }

    private static final byte[] NULL = ascii("null");
    private static final byte[] DIGITS = ascii("0123456789");

    private byte[] buf;
    private int len;
    private final Sink sink;
    private final int chunk;
    /** The day whose prefix {@code "yyyy-mm-ddT} is in {@link #dayPrefix}. */
    private long day = Long.MIN_VALUE;
    private byte[] dayPrefix;
    /** The minute whose prefix {@code "yyyy-mm-ddTHH:MM:} is in {@link #minutePrefix}. */
    private long minute = Long.MIN_VALUE;
    private byte[] minutePrefix;
    private StringBuilder scratch;

    /** One growing array, starting at {@code initial} bytes. */
    public JsonBytes(int initial) {
        this(initial, null);
    }

    /** Hands each chunk of about {@code chunk} bytes to {@code sink} at {@link #spillIfFull()}. */
    public JsonBytes(int chunk, Sink sink) {
        this.chunk = chunk;
        this.sink = sink;
        this.buf = sink == null ? new byte[Math.max(16, chunk)] : sink.next(chunk + chunk / 8);
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    public int size() {
        return len;
    }

    /** What was written (since the last chunk handed on), as a new array of its size. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** Hands what is written to the sink when it holds a chunk's worth; call it between elements. */
    public void spillIfFull() {
        if (sink != null && len >= chunk) {
            flush();
        }
    }

    /** Whether chunks go to a sink (else one growing array). */
    public boolean streams() {
        return sink != null;
    }

    /** The sink chunks go to, or null. */
    public Sink sink() {
        return sink;
    }

    /** Hands on what is written so far, then {@code chunk} (written elsewhere, in an array from this sink's {@link Sink#next}). */
    public void handOn(byte[] chunk, int length) {
        flush();
        sink.take(chunk, length);
    }

    /** Hands what is written, if anything, to the sink now (e.g. at the end). */
    public void flush() {
        if (len > 0) {
            sink.take(buf, len);
            buf = sink.next(chunk + chunk / 8);
            len = 0;
        }
    }

    private void room(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(len + n, buf.length * 2));
        }
    }

    /** Bytes as they are: a pre-spelled key, punctuation. */
    public JsonBytes raw(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    /** The first {@code n} bytes of {@code b} as they are. */
    public JsonBytes raw(byte[] b, int n) {
        room(n);
        System.arraycopy(b, 0, buf, len, n);
        len += n;
        return this;
    }

    /**
     * Copies what was written since {@code from} (a {@link #size()} taken before, with no chunk
     * handed on since) into {@code to}; returns its length, or -1 when it does not fit.
     */
    public int copySince(int from, byte[] to) {
        int n = len - from;
        if (n > to.length) {
            return -1;
        }
        System.arraycopy(buf, from, to, 0, n);
        return n;
    }

    public JsonBytes raw(char c) {
        room(1);
        buf[len++] = (byte) c;
        return this;
    }

    public JsonBytes raw(JsonBytes other) {
        room(other.len);
        System.arraycopy(other.buf, 0, buf, len, other.len);
        len += other.len;
        return this;
    }

    /** A JSON string, escaped as {@link JsonWriter#string} escapes it. */
    public JsonBytes string(String s) {
        int n = s.length();
        room(n + 2);
        int at = len;
        buf[at++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                return stringSlow(s);
            }
            buf[at++] = (byte) c;
        }
        buf[at++] = '"';
        len = at;
        return this;
    }

    private JsonBytes stringSlow(String s) {
        StringBuilder sb = scratch();
        JsonWriter.string(sb, s);
        return raw(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private StringBuilder scratch() {
        if (scratch == null) {
            scratch = new StringBuilder(32);
        }
        scratch.setLength(0);
        return scratch;
    }

    public JsonBytes nullValue() {
        return raw(NULL);
    }

    /** A number as {@link SandboxJson#number} writes it: null for NaN and infinities, integers as longs. */
    public JsonBytes number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15 && (v != 0 || Double.doubleToRawLongBits(v) == 0)) {
            return integer((long) v);
        }
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return raw(NULL);
        }
        if (shortDecimal(v)) {
            return this;
        }
        StringBuilder sb = scratch();
        PromFormat.value(v, sb);
        room(sb.length());
        for (int i = 0; i < sb.length(); i++) {
            buf[len++] = (byte) sb.charAt(i);
        }
        return this;
    }

    /** A long in decimal. */
    public JsonBytes integer(long v) {
        room(20);
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return raw(ascii(Long.toString(v)));
            }
            buf[len++] = '-';
            v = -v;
        }
        if (v < Integer.MAX_VALUE) {
            // The usual case (byte gauges below 2 GiB, counters, seconds): int arithmetic, two digits at a time.
            int x = (int) v;
            int end = len + digits(x);
            int i = end;
            while (x >= 100) {
                int q = x / 100;
                int r = x - q * 100;
                buf[--i] = ONES[r];
                buf[--i] = TENS[r];
                x = q;
            }
            buf[--i] = ONES[x];
            if (x >= 10) {
                buf[--i] = TENS[x];
            }
            len = end;
            return this;
        }
        // Above 2^31 (memory limits, upper layers of several GiB): the part above 10^9 as a number,
        // then the nine digits below it two at a time, instead of a division by 10 per digit.
        long hi = v / 1_000_000_000L;
        int lo = (int) (v - hi * 1_000_000_000L);
        integer(hi);
        room(9);
        int i = len + 9;
        for (int k = 0; k < 4; k++) {
            int q = lo / 100;
            int r = lo - q * 100;
            buf[--i] = ONES[r];
            buf[--i] = TENS[r];
            lo = q;
        }
        buf[--i] = ONES[lo];
        len += 9;
        return this;
    }

    private static final byte[] TENS = new byte[100];
    private static final byte[] ONES = new byte[100];

    static {
        for (int i = 0; i < 100; i++) {
            TENS[i] = (byte) ('0' + i / 10);
            ONES[i] = (byte) ('0' + i % 10);
        }
    }

    private static final int[] INT_POW10 = {1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

    /** Decimal digits of x >= 0: from its bit length (log10(2) ~ 1233 / 4096), one comparison to settle it. */
    static int digits(int x) {
        int t = (32 - Integer.numberOfLeadingZeros(x | 1)) * 1233 >>> 12;
        return t + ((x | 1) >= INT_POW10[t] ? 1 : 0); // x | 1: 0 has one digit too
    }

    private static final double[] POW10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};

    /**
     * A short decimal ({@code 0.5}, {@code 57.25}, {@code 12.000001}) without the general shortest-
     * form search: the fewest fraction digits j (at most 6) with {@code rint(v * 10^j) / 10^j == v}.
     * Then that decimal reads back as v (the division is correctly rounded), none with fewer digits
     * does, and below 2^30 no other with as many does (10^-6 exceeds two ulps): it is the shortest
     * form, the one {@link PromFormat#value} finds. False when v is not such a decimal.
     */
    private boolean shortDecimal(double v) {
        double a = Math.abs(v);
        if (!(a >= 1e-6 && a < 1 << 30)) {
            return false;
        }
        for (int j = 1; j < POW10.length; j++) {
            double m = Math.rint(a * POW10[j]);
            if (m / POW10[j] == a) {
                long n = (long) m;
                long unit = (long) POW10[j];
                room(24);
                if (v < 0) {
                    buf[len++] = '-';
                }
                integer(n / unit);
                buf[len++] = '.';
                long frac = n % unit;
                for (long p = unit / 10; p > 0; p /= 10) {
                    buf[len++] = DIGITS[(int) (frac / p % 10)];
                }
                return true;
            }
        }
        return false;
    }

    /** RFC 3339 in UTC with milliseconds, quoted, as {@link SandboxJson#time(long)}: "2026-11-29T02:17:05.123Z". */
    public JsonBytes time(long ms) {
        long m = Math.floorDiv(ms, 60_000L);
        if (m != minute) {
            minute(m);
        }
        room(minutePrefix.length + 8);
        System.arraycopy(minutePrefix, 0, buf, len, minutePrefix.length);
        len += minutePrefix.length;
        int inMinute = (int) (ms - m * 60_000L);
        int sec = inMinute / 1000;
        int frac = inMinute - sec * 1000;
        buf[len++] = TENS[sec];
        buf[len++] = ONES[sec];
        buf[len++] = '.';
        buf[len++] = DIGITS[frac / 100];
        buf[len++] = TENS[frac % 100];
        buf[len++] = ONES[frac % 100];
        buf[len++] = 'Z';
        buf[len++] = '"';
        return this;
    }

    /** Spells {@code "yyyy-mm-ddTHH:MM:} of minute {@code m} (points of a history share minutes, days even more). */
    private void minute(long m) {
        long d = Math.floorDiv(m, 1440L);
        int inDay = (int) (m - d * 1440L);
        if (d != day) {
            day = d;
            dayPrefix = ascii("\"" + LocalDate.ofEpochDay(d) + "T");
        }
        byte[] p = Arrays.copyOf(dayPrefix, dayPrefix.length + 6);
        int at = dayPrefix.length;
        p[at++] = TENS[inDay / 60];
        p[at++] = ONES[inDay / 60];
        p[at++] = ':';
        p[at++] = TENS[inDay % 60];
        p[at++] = ONES[inDay % 60];
        p[at] = ':';
        minute = m;
        minutePrefix = p;
    }

    /** An id label as {@link SandboxJson#id(String)} writes it: a number when it is a plain int, else a string; null when absent. */
    public JsonBytes id(String v) {
        if (v == null) {
            return raw(NULL);
        }
        if (SandboxJson.isInt(v)) {
            room(v.length());
            for (int i = 0; i < v.length(); i++) {
                buf[len++] = (byte) v.charAt(i);
            }
            return this;
        }
        return string(v);
    }
}
