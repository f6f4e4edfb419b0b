package dev.sandglass.query.parser;

/** Unquoting of PromQL string literals, with Go's escape rules (as Prometheus's strutil.Unquote). */
final class Strings {
    private Strings() {
    }

    /** @throws IllegalArgumentException naming the bad escape */
    static String unquote(String literal) {
        char q = literal.charAt(0);
        String body = literal.substring(1, literal.length() - 1);
        if (q == '`') {
            return body;
        }
        StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i >= body.length()) {
                throw new IllegalArgumentException("invalid escape at end of string");
            }
            char e = body.charAt(i);
            switch (e) {
                case 'a' -> sb.append('\u0007');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'v' -> sb.append('\u000b');
                case '\\' -> sb.append('\\');
                case '"', '\'' -> {
                    if (e != q) {
                        throw new IllegalArgumentException("invalid escape \\" + e + " in a " + q + "-quoted string");
                    }
                    sb.append(e);
                }
                case 'x' -> {
                    sb.appendCodePoint(hex(body, i + 1, 2));
                    i += 2;
                }
                case 'u' -> {
                    sb.appendCodePoint(hex(body, i + 1, 4));
                    i += 4;
                }
                case 'U' -> {
                    sb.appendCodePoint(hex(body, i + 1, 8));
                    i += 8;
                }
                default -> {
                    if (e >= '0' && e <= '7' && i + 2 < body.length()) {
                        String oct = body.substring(i, i + 3);
                        if (!oct.matches("[0-7]{3}")) {
                            throw new IllegalArgumentException("invalid octal escape \\" + oct);
                        }
                        int v = Integer.parseInt(oct, 8);
                        if (v > 255) {
                            throw new IllegalArgumentException("octal escape \\" + oct + " out of range");
                        }
                        sb.append((char) v);
                        i += 2;
                    } else {
                        throw new IllegalArgumentException("invalid escape \\" + e);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static int hex(String s, int from, int n) {
        if (from + n > s.length()) {
            throw new IllegalArgumentException("truncated escape \\" + s.substring(from - 1));
        }
        String h = s.substring(from, from + n);
        try {
            int cp = (int) Long.parseLong(h, 16);
            if (!Character.isValidCodePoint(cp)) {
                throw new IllegalArgumentException("escape \\" + s.charAt(from - 1) + h + " is not a valid code point");
            }
            return cp;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid hex escape \\" + s.charAt(from - 1) + h);
        }
    }
}
