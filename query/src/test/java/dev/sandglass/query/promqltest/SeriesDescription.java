package dev.sandglass.query.promqltest;

import dev.sandglass.query.parser.Literals;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One series description of a test script: {@code name{label="value", ...} v1 v2 ...}, the values
 * expanded ({@code a+bxn}, {@code a-bxn}, {@code axn}, {@code _}, {@code _xn}, {@code stale},
 * numbers). {@code values} holds null for a missing slot.
 */
public record SeriesDescription(Labels labels, List<Double> values) {
    private static final Pattern NUMBER = Pattern.compile(
            "(?i)([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(e[+-]?[0-9]+)?|0x[0-9a-f]+|inf|nan");
    private static final Pattern REPEAT = Pattern.compile("^(.+)x([0-9]+)$");

    public static SeriesDescription parse(String line) {
        int pos = 0;
        int n = line.length();
        Labels.Builder b = new Labels.Builder();
        boolean any = false;
        if (pos < n && isNameStart(line.charAt(pos))) {
            int start = pos;
            while (pos < n && isNameChar(line.charAt(pos))) {
                pos++;
            }
            b.set(Labels.METRIC_NAME, line.substring(start, pos));
            any = true;
        }
        if (pos < n && line.charAt(pos) == '{') {
            pos = labels(line, pos + 1, b);
            any = true;
        }
        if (!any) {
            throw new IllegalArgumentException("expected a metric name or {labels} at the start of " + quote(line));
        }
        if (pos < n && !Character.isWhitespace(line.charAt(pos))) {
            throw new IllegalArgumentException("unexpected " + quote(String.valueOf(line.charAt(pos)))
                    + " after the metric in " + quote(line));
        }
        return new SeriesDescription(b.build(), expand(line.substring(pos).trim()));
    }

    /** The value of a line that is a single number (a scalar result), or null when it is not one. */
    public static Double scalar(String line) {
        String s = line.trim();
        if (s.isEmpty() || s.chars().anyMatch(Character::isWhitespace)) {
            return null;
        }
        try {
            return signedNumber(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Expands a whitespace-separated value sequence; a null element is a missing sample. */
    public static List<Double> expand(String values) {
        List<Double> out = new ArrayList<>();
        if (values.isBlank()) {
            return out;
        }
        for (String token : values.trim().split("\\s+")) {
            if (token.equals("_")) {
                out.add(null);
            } else if (token.equals("stale")) {
                out.add(Values.STALE_NAN);
            } else if (token.startsWith("_x")) {
                out.addAll(Collections.nCopies(count(token.substring(2), token), null));
            } else {
                Matcher m = REPEAT.matcher(token);
                // "0x10" repeats 0 eleven times, as in Prometheus (which has no hex in series values).
                if (m.matches()) {
                    repeat(m.group(1), count(m.group(2), token), out, token);
                } else {
                    out.add(signedNumber(token));
                }
            }
        }
        return out;
    }

    /** {@code a+b} or {@code a-b} (then n+1 values, each the previous plus b) or {@code a} (n+1 copies). */
    private static void repeat(String head, int n, List<Double> out, String token) {
        int op = -1;
        for (int i = 1; i < head.length(); i++) {
            char c = head.charAt(i);
            char prev = head.charAt(i - 1);
            if ((c == '+' || c == '-') && prev != 'e' && prev != 'E') {
                op = i;
                break;
            }
        }
        double value = signedNumber(op < 0 ? head : head.substring(0, op));
        double step = op < 0 ? 0 : signedNumber(head.substring(op));
        for (int i = 0; i <= n; i++) {
            out.add(value);
            // Accumulate as Prometheus does, so float rounding matches its loaded values.
            value += step;
        }
    }

    private static int count(String digits, String token) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad repetition count in " + quote(token));
        }
    }

    private static double signedNumber(String s) {
        double sign = 1;
        String body = s;
        if (body.startsWith("+") || body.startsWith("-")) {
            sign = body.charAt(0) == '-' ? -1 : 1;
            body = body.substring(1);
        }
        if (!NUMBER.matcher(body).matches()) {
            throw new IllegalArgumentException("bad value " + quote(s) + ": want a number, a+bxn, a-bxn, axn, _, _xn or stale");
        }
        return sign * Literals.number(body);
    }

    private static int labels(String line, int pos, Labels.Builder b) {
        int n = line.length();
        while (true) {
            pos = skipSpace(line, pos);
            if (pos >= n) {
                throw new IllegalArgumentException("unclosed { in " + quote(line));
            }
            if (line.charAt(pos) == '}') {
                return pos + 1;
            }
            int start = pos;
            while (pos < n && isNameChar(line.charAt(pos)) && line.charAt(pos) != ':') {
                pos++;
            }
            if (start == pos) {
                throw new IllegalArgumentException("expected a label name at column " + (pos + 1) + " of " + quote(line));
            }
            String name = line.substring(start, pos);
            pos = skipSpace(line, pos);
            if (pos >= n || line.charAt(pos) != '=') {
                throw new IllegalArgumentException("expected = after label " + name + " in " + quote(line));
            }
            pos = skipSpace(line, pos + 1);
            int end = stringEnd(line, pos);
            b.set(name, Literals.unquote(line.substring(pos, end)));
            pos = skipSpace(line, end);
            if (pos < n && line.charAt(pos) == ',') {
                pos++;
            } else if (pos >= n || line.charAt(pos) != '}') {
                throw new IllegalArgumentException("expected , or } at column " + (pos + 1) + " of " + quote(line));
            }
        }
    }

    /** The index just past the quoted string starting at {@code pos}. */
    private static int stringEnd(String line, int pos) {
        if (pos >= line.length() || "\"'`".indexOf(line.charAt(pos)) < 0) {
            throw new IllegalArgumentException("expected a quoted label value at column " + (pos + 1) + " of " + quote(line));
        }
        char q = line.charAt(pos);
        for (int i = pos + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && q != '`') {
                i++;
            } else if (c == q) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("unterminated label value in " + quote(line));
    }

    private static int skipSpace(String s, int pos) {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
        return pos;
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) && c < 128 || c == '_' || c == ':';
    }

    private static boolean isNameChar(char c) {
        return isNameStart(c) || c >= '0' && c <= '9';
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
