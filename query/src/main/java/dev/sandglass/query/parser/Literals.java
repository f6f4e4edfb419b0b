package dev.sandglass.query.parser;

/**
 * Number, string and duration literals as Prometheus reads them. Each method returns the value or
 * throws {@link IllegalArgumentException} with a message the caller places at the token.
 */
public final class Literals {
    private Literals() {
    }

    /**
     * A number token: integers as Go's ParseInt with base 0 reads them (so {@code 0x1f} is 31 and
     * a leading zero means octal, {@code 010} is 8), otherwise a float ({@code 1e3}, {@code .5},
     * {@code Inf}, {@code NaN}, any case).
     */
    public static double number(String text) {
        String t = text.toLowerCase(java.util.Locale.ROOT);
        if (t.equals("inf")) {
            return Double.POSITIVE_INFINITY;
        }
        if (t.equals("nan")) {
            return Double.NaN;
        }
        try {
            if (t.startsWith("0x")) {
                return Long.parseLong(t.substring(2), 16);
            }
            if (t.length() > 1 && t.charAt(0) == '0' && t.chars().allMatch(c -> c >= '0' && c <= '7')) {
                return Long.parseLong(t.substring(1), 8);
            }
        } catch (NumberFormatException e) {
            // too large for int64: like Go's ParseFloat, a decimal is still read, hex is not
            if (t.startsWith("0x")) {
                throw outOfRange(text);
            }
        }
        double v;
        try {
            v = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number or duration syntax: \"" + text + "\"");
        }
        if (Double.isInfinite(v)) {
            throw outOfRange(text);
        }
        return v;
    }

    private static IllegalArgumentException outOfRange(String text) {
        return new IllegalArgumentException("error parsing number: \"" + text + "\": value out of range");
    }

    /**
     * A duration in a query such as {@code 1h30m}, in ms. Zero is rejected, as Prometheus's parser
     * does ({@link Durations#parseMillis} alone accepts it).
     */
    public static long durationMs(String text) {
        long ms = Durations.parseMillis(text);
        if (ms == 0) {
            throw new IllegalArgumentException("duration must be greater than 0");
        }
        return ms;
    }

    /**
     * The value of a quoted string token: {@code "..."} and {@code '...'} with Go's escapes
     * ({@code \a \b \f \n \r \t \v \\ \' \" \xHH \ooo \\uHHHH \UHHHHHHHH}; a quote escape only for
     * its own quote), {@code `...`} raw.
     */
    public static String unquote(String token) {
        char quote = token.charAt(0);
        String body = token.substring(1, token.length() - 1);
        if (quote == '`') {
            return body;
        }
        StringBuilder sb = new StringBuilder(body.length());
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c != '\\') {
                sb.append(c);
                i++;
                continue;
            }
            if (i + 1 >= body.length()) {
                throw new IllegalArgumentException("escape sequence not terminated");
            }
            char e = body.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'v' -> sb.append('\u000b');
                case '\\' -> sb.append('\\');
                case '\'', '"' -> {
                    if (e != quote) {
                        throw new IllegalArgumentException("unknown escape sequence \\" + e);
                    }
                    sb.append(e);
                }
                case 'x' -> {
                    sb.append((char) hex(body, i, 2));
                    i += 2;
                }
                case 'u' -> {
                    sb.appendCodePoint(codePoint(hex(body, i, 4)));
                    i += 4;
                }
                case 'U' -> {
                    sb.appendCodePoint(codePoint(hex(body, i, 8)));
                    i += 8;
                }
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    if (i + 2 > body.length()) {
                        throw new IllegalArgumentException("escape sequence not terminated");
                    }
                    int v = e - '0';
                    for (int k = i; k < i + 2; k++) {
                        char d = body.charAt(k);
                        if (d < '0' || d > '7') {
                            throw new IllegalArgumentException("invalid octal escape in string");
                        }
                        v = v * 8 + (d - '0');
                    }
                    if (v > 255) {
                        throw new IllegalArgumentException("octal escape value > 255: " + v);
                    }
                    sb.append((char) v);
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape sequence \\" + e);
            }
        }
        return sb.toString();
    }

    private static long hex(String s, int from, int len) {
        if (from + len > s.length()) {
            throw new IllegalArgumentException("escape sequence not terminated");
        }
        long v = 0;
        for (int k = from; k < from + len; k++) {
            int d = Character.digit(s.charAt(k), 16);
            if (d < 0) {
                throw new IllegalArgumentException("invalid hex digit in escape sequence: '" + s.charAt(k) + "'");
            }
            v = v * 16 + d;
        }
        return v;
    }

    private static int codePoint(long v) {
        if (v > Character.MAX_CODE_POINT || (v >= 0xD800 && v <= 0xDFFF)) {
            throw new IllegalArgumentException("escape sequence is invalid Unicode code point");
        }
        return (int) v;
    }
}
