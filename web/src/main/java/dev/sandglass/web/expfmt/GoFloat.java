package dev.sandglass.web.expfmt;

import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * Sample values as Prometheus's text exposition writes them: Go's
 * {@code strconv.FormatFloat(v, 'g', -1, 64)}: the shortest digits that read back as {@code v},
 * in exponent form when the decimal exponent is below -4 or at least 6 (Go decides with
 * precision 6 for a shortest format), so 1234567 is "1.234567e+06" and 0.00001 is "1e-05";
 * "+Inf", "-Inf", "NaN".
 */
public final class GoFloat {
    private GoFloat() {
    }

    public static void append(double v, StringBuilder out) {
        if (Double.isNaN(v)) {
            out.append("NaN");
            return;
        }
        if (Double.isInfinite(v)) {
            out.append(v > 0 ? "+Inf" : "-Inf");
            return;
        }
        if (v == 0) {
            out.append(Double.doubleToRawLongBits(v) == 0 ? "0" : "-0");
            return;
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            out.append((long) v);
            return;
        }
        // Schubfach's shortest digits (Java 17's Double.toString is not always shortest).
        String s = NumberOutput.toString(v, true);
        boolean neg = s.charAt(0) == '-';
        int e = s.indexOf('E');
        String mant = s.substring(neg ? 1 : 0, e < 0 ? s.length() : e);
        int exp10 = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
        int dot = mant.indexOf('.');
        String digits = dot < 0 ? mant : mant.substring(0, dot) + mant.substring(dot + 1);
        int point = (dot < 0 ? mant.length() : dot) + exp10; // digits[0..point) are the integer part
        int lead = 0;
        while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
            lead++;
        }
        digits = digits.substring(lead);
        point -= lead;
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        digits = digits.substring(0, end);
        int exp = point - 1;
        if (neg) {
            out.append('-');
        }
        if (exp < -4 || exp >= 6) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) {
                out.append('0');
            }
            out.append(a);
        } else if (point <= 0) {
            out.append("0.");
            for (int i = 0; i < -point; i++) {
                out.append('0');
            }
            out.append(digits);
        } else if (point >= digits.length()) {
            out.append(digits);
            for (int i = digits.length(); i < point; i++) {
                out.append('0');
            }
        } else {
            out.append(digits, 0, point).append('.').append(digits, point, digits.length());
        }
    }

    public static String format(double v) {
        StringBuilder sb = new StringBuilder(24);
        append(v, sb);
        return sb.toString();
    }
}
