package dev.sandglass.ingest.bulk;

import dev.sandglass.storage.api.Labels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/** Parses the series part of an exposition line, {@code name{label="value",...}}, with validation. */
public final class SeriesText {
    private SeriesText() {
    }

    /** @throws IllegalArgumentException saying what is wrong, for the rejection report */
    public static Labels parse(byte[] b, int s, int e) {
        int i = s;
        while (i < e && b[i] != '{') {
            i++;
        }
        String name = new String(b, s, i - s, StandardCharsets.UTF_8);
        Labels.Builder lb = Labels.EMPTY.builder();
        if (!name.isEmpty()) {
            if (!validMetricName(name)) {
                throw new IllegalArgumentException("invalid metric name \"" + name + "\"");
            }
            lb.set(Labels.METRIC_NAME, name);
        }
        if (i == e) {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("missing metric name");
            }
            return lb.build();
        }
        i++;
        Set<String> seen = new HashSet<>();
        while (true) {
            while (i < e && (b[i] == ' ' || b[i] == ',')) {
                i++;
            }
            if (i < e && b[i] == '}') {
                break;
            }
            int ns = i;
            while (i < e && b[i] != '=' && b[i] != ' ') {
                i++;
            }
            String lname = new String(b, ns, i - ns, StandardCharsets.UTF_8);
            if (!validLabelName(lname)) {
                throw new IllegalArgumentException("invalid label name \"" + lname + "\"");
            }
            if (i >= e || b[i] != '=') {
                throw new IllegalArgumentException("expected '=' after label name \"" + lname + "\"");
            }
            i++;
            if (i >= e || b[i] != '"') {
                throw new IllegalArgumentException("expected '\"' to start the value of label \"" + lname + "\"");
            }
            i++;
            ByteArrayOutputStream v = new ByteArrayOutputStream();
            while (i < e && b[i] != '"') {
                if (b[i] == '\\' && i + 1 < e) {
                    i++;
                    switch (b[i]) {
                        case 'n' -> v.write('\n');
                        case '\\' -> v.write('\\');
                        case '"' -> v.write('"');
                        default -> throw new IllegalArgumentException("invalid escape \\" + (char) b[i] + " in the value of label \"" + lname + "\"");
                    }
                } else {
                    v.write(b[i]);
                }
                i++;
            }
            if (i >= e) {
                throw new IllegalArgumentException("unterminated value of label \"" + lname + "\"");
            }
            i++;
            if (!seen.add(lname)) {
                throw new IllegalArgumentException("duplicate label name \"" + lname + "\"");
            }
            String value = v.toString(StandardCharsets.UTF_8);
            if (lname.equals(Labels.METRIC_NAME) && !name.isEmpty()) {
                throw new IllegalArgumentException("metric name given twice");
            }
            lb.set(lname, value);
            while (i < e && b[i] == ' ') {
                i++;
            }
            if (i < e && b[i] == ',') {
                i++;
                continue;
            }
            if (i < e && b[i] == '}') {
                break;
            }
            throw new IllegalArgumentException("expected ',' or '}' after the value of label \"" + lname + "\"");
        }
        Labels l = lb.build();
        if (!l.has(Labels.METRIC_NAME)) {
            throw new IllegalArgumentException("missing metric name");
        }
        return l;
    }

    /** End of the series part: after the closing brace, or at the first blank without braces; -1 when unterminated. */
    public static int end(byte[] b, int s, int e) {
        int i = s;
        while (i < e && b[i] != '{' && b[i] != ' ' && b[i] != '\t') {
            i++;
        }
        if (i == e || b[i] != '{') {
            return i;
        }
        boolean inQuote = false;
        for (i++; i < e; i++) {
            byte c = b[i];
            if (inQuote) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inQuote = false;
                }
            } else if (c == '"') {
                inQuote = true;
            } else if (c == '}') {
                return i + 1;
            }
        }
        return -1;
    }

    /** First position at or after {@code p} that is not a blank (space or tab), or {@code e}. */
    public static int skipBlanks(byte[] b, int p, int e) {
        while (p < e && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        return p;
    }

    /** End of the token (run of non-blanks) starting at {@code p}. */
    public static int token(byte[] b, int p, int e) {
        while (p < e && b[p] != ' ' && b[p] != '\t') {
            p++;
        }
        return p;
    }

    public static boolean validMetricName(String n) {
        if (n.isEmpty()) {
            return false;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            boolean ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public static boolean validLabelName(String n) {
        if (n.isEmpty()) {
            return false;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
