package dev.sandglass.web.api;

import java.math.BigDecimal;

/** Number formats of Prometheus's API: sample values as Go's FormatFloat(v, 'f', -1), timestamps as float seconds. */
public final class PromFormat {
    private PromFormat() {
    }

    /** Shortest decimal that reads back as {@code v}, without an exponent; "NaN", "+Inf", "-Inf". */
    public static String value(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return Double.doubleToRawLongBits(v) == 0 ? "0" : "-0";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
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
        String f = String.format("%03d", frac);
        int end = f.length();
        while (f.charAt(end - 1) == '0') {
            end--;
        }
        out.append('.').append(f, 0, end);
    }

    public static String timestamp(long ms) {
        StringBuilder sb = new StringBuilder();
        timestamp(ms, sb);
        return sb.toString();
    }
}
