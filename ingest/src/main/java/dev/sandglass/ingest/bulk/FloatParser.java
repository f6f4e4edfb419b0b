package dev.sandglass.ingest.bulk;

import java.nio.charset.StandardCharsets;

/**
 * Parses float64 values from bytes exactly as Double.parseDouble would (plus Prometheus's "Inf"
 * spellings), fast for the common cases: up to 15 significant digits and a power of ten within
 * 10^22 give a mantissa and a power that are both exact doubles, so one multiplication or
 * division rounds correctly (Clinger's fast path); up to 19 digits (a float64 printed in full,
 * as exporters print gauges) go through {@link EiselLemire}, without allocating. Anything else,
 * and the rare value Eisel-Lemire cannot decide, takes the slow, exact path.
 */
public final class FloatParser {
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private FloatParser() {
    }

    /** @throws NumberFormatException with the offending text */
    public static double parse(byte[] b, int start, int end) {
        int i = start;
        if (i >= end) {
            throw new NumberFormatException("empty value");
        }
        boolean neg = false;
        if (b[i] == '-' || b[i] == '+') {
            neg = b[i] == '-';
            i++;
        }
        long mant = 0;
        int significant = 0;
        int exp10 = 0;
        boolean digits = false;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            digits = true;
            int d = b[i] - '0';
            if (mant != 0 || d != 0) {
                if (++significant > 19) {
                    return slow(b, start, end);
                }
                mant = mant * 10 + d;
            }
            i++;
        }
        if (i < end && b[i] == '.') {
            i++;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                digits = true;
                int d = b[i] - '0';
                if (mant != 0 || d != 0) {
                    if (++significant > 19) {
                        return slow(b, start, end);
                    }
                    mant = mant * 10 + d;
                }
                exp10--;
                i++;
            }
        }
        if (!digits) {
            return slow(b, start, end);
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean eneg = false;
            if (i < end && (b[i] == '-' || b[i] == '+')) {
                eneg = b[i] == '-';
                i++;
            }
            int e = 0;
            int n = 0;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                if (e < 10_000) {
                    e = e * 10 + (b[i] - '0');
                }
                i++;
                n++;
            }
            if (n == 0) {
                return slow(b, start, end);
            }
            exp10 += eneg ? -e : e;
        }
        if (i != end) {
            return slow(b, start, end);
        }
        if (mant == 0) {
            return neg ? -0.0 : 0.0;
        }
        double v;
        if (significant <= 15 && exp10 >= 0 && exp10 <= 22) {
            v = mant * POW10[exp10];
        } else if (significant <= 15 && exp10 < 0 && exp10 >= -22) {
            v = mant / POW10[-exp10];
        } else {
            // 16 to 19 digits (a float64 printed in full) or a large exponent.
            v = EiselLemire.compute(mant, exp10, false);
            if (Double.isNaN(v)) {
                return slow(b, start, end);
            }
        }
        return neg ? -v : v;
    }

    private static double slow(byte[] b, int start, int end) {
        String s = new String(b, start, end - start, StandardCharsets.ISO_8859_1);
        return parseSlow(s);
    }

    static double parseSlow(String s) {
        String body = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        boolean neg = s.startsWith("-");
        switch (body.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "infinity" -> {
                return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            case "nan" -> {
                return Double.NaN;
            }
            default -> {
            }
        }
        if (body.isEmpty() || !(Character.isDigit(body.charAt(0)) || body.charAt(0) == '.')) {
            throw new NumberFormatException("not a number: \"" + s + "\"");
        }
        // Java accepts a trailing 'd' or 'f' and hex floats (0x1p3), which exposition text does not.
        char last = body.charAt(body.length() - 1);
        if (last == 'd' || last == 'D' || last == 'f' || last == 'F' || body.indexOf('x') >= 0 || body.indexOf('X') >= 0) {
            throw new NumberFormatException("not a number: \"" + s + "\"");
        }
        return Double.parseDouble(s);
    }
}
