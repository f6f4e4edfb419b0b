package dev.sandglass.web.api;

import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * Number formats of Prometheus's API: sample values as its marshalValue writes them (Go's
 * AppendFloat(v, 'f', -1), or 'e' below 1e-6 and from 1e21 on), timestamps as float seconds.
 */
public final class PromFormat {
    private PromFormat() {
    }

    /** Shortest decimal that reads back as {@code v} (an exponent only outside [1e-6, 1e21)); "NaN", "+Inf", "-Inf". */
    public static String value(double v) {
        StringBuilder out = new StringBuilder(24);
        value(v, out);
        return out.toString();
    }

    /** As {@link #value(double)}, appended to {@code out}; integers (counters, byte gauges) are checked first. */
    public static void value(double v, StringBuilder out) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15 && (v != 0 || Double.doubleToRawLongBits(v) == 0)) {
            out.append((long) v);
        } else if (Double.isNaN(v)) {
            out.append("NaN");
        } else if (Double.isInfinite(v)) {
            out.append(v > 0 ? "+Inf" : "-Inf");
        } else if (v == 0) {
            out.append("-0");
        } else if (Math.abs(v) < 1e-6 || Math.abs(v) >= 1e21) {
            exponent(v, out);
        } else {
            out.append(plain(NumberOutput.toString(v, true)));
        }
    }

    /** Go's 'e' form with the shortest digits: 1e+21, 1.5e-07, 5e-324 (at least two exponent digits). */
    private static void exponent(double v, StringBuilder out) {
        String digits;
        int exp;
        if (Math.abs(v) < Double.MIN_NORMAL) {
            java.math.BigDecimal d = subnormal(v).stripTrailingZeros();
            digits = d.unscaledValue().abs().toString();
            exp = digits.length() - 1 - d.scale();
        } else {
            String s = NumberOutput.toString(Math.abs(v), true); // always d.dddE±n in this range
            int e = s.indexOf('E');
            digits = s.substring(0, 1) + s.substring(2, e);
            exp = Integer.parseInt(s.substring(e + 1));
        }
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        if (v < 0) {
            out.append('-');
        }
        out.append(digits.charAt(0));
        if (end > 1) {
            out.append('.').append(digits, 1, end);
        }
        out.append('e').append(exp < 0 ? '-' : '+');
        if (Math.abs(exp) < 10) {
            out.append('0');
        }
        out.append(Math.abs(exp));
    }

    /**
     * Java's notation has at least two digits (4.9E-324) where Go prints the one shortest digit
     * (5e-324); that differs only for subnormals, so they take the slow exact search.
     */
    private static java.math.BigDecimal subnormal(double v) {
        java.math.BigDecimal exact = new java.math.BigDecimal(v);
        for (int digits = 1; ; digits++) {
            java.math.BigDecimal d = exact.round(new java.math.MathContext(digits, java.math.RoundingMode.HALF_EVEN));
            if (d.doubleValue() == v) {
                return d;
            }
        }
    }

    /** A shortest repr in Java's notation without its exponent: "1.25E-5" -> "0.0000125", "1.0E21" -> "1000000000000000000000". */
    static String plain(String s) {
        int e = s.indexOf('E');
        if (e < 0) {
            return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
        }
        boolean neg = s.charAt(0) == '-';
        String mant = s.substring(neg ? 1 : 0, e);
        int exp = Integer.parseInt(s.substring(e + 1));
        int dot = mant.indexOf('.');
        String digits = mant.substring(0, dot) + mant.substring(dot + 1);
        int point = dot + exp; // position of the decimal point within digits
        StringBuilder sb = new StringBuilder(32);
        if (neg) {
            sb.append('-');
        }
        if (point <= 0) {
            sb.append("0.");
            for (int i = 0; i < -point; i++) {
                sb.append('0');
            }
            sb.append(digits);
        } else if (point >= digits.length()) {
            sb.append(digits);
            for (int i = digits.length(); i < point; i++) {
                sb.append('0');
            }
        } else {
            sb.append(digits, 0, point).append('.').append(digits, point, digits.length());
        }
        // Trim trailing zeros of a fraction, and a bare point.
        int end = sb.length();
        if (sb.indexOf(".") >= 0) {
            while (sb.charAt(end - 1) == '0') {
                end--;
            }
            if (sb.charAt(end - 1) == '.') {
                end--;
            }
        }
        sb.setLength(end);
        return sb.toString();
    }

    /** Unix ms as seconds with up to 3 decimals: 1435781451781 -> 1435781451.781, 1000 -> 1. */
    public static void timestamp(long ms, StringBuilder out) {
        long secs = Math.floorDiv(ms, 1000);
        int frac = (int) Math.floorMod(ms, 1000);
        if (frac == 0) {
            out.append(secs);
            return;
        }
        if (secs < 0) {
            // Go formats the float: -1.5 s is "-1.5", not "-2.500".
            out.append('-');
            long abs = -ms;
            out.append(abs / 1000);
            appendFraction((int) (abs % 1000), out);
            return;
        }
        out.append(secs);
        appendFraction(frac, out);
    }

    private static void appendFraction(int frac, StringBuilder out) {
        if (frac == 0) {
            return;
        }
        out.append('.').append((char) ('0' + frac / 100));
        if (frac % 100 != 0) {
            out.append((char) ('0' + frac / 10 % 10));
            if (frac % 10 != 0) {
                out.append((char) ('0' + frac % 10));
            }
        }
    }

    public static String timestamp(long ms) {
        StringBuilder sb = new StringBuilder();
        timestamp(ms, sb);
        return sb.toString();
    }
}
