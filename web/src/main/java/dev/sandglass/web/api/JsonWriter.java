package dev.sandglass.web.api;

/**
 * A small streaming JSON writer over a StringBuilder: responses are written field by field, never
 * through an object mapper, so a large matrix costs one buffer and no intermediate objects.
 */
public final class JsonWriter {
    private final StringBuilder out;
    private final Sink sink;
    private final int spillAt;
    private boolean needComma;

    /** Where a writer hands what it has written so far when its buffer is full (an HTTP response). */
    public interface Sink {
        /** Takes the text written so far; the writer empties the buffer afterwards. */
        void write(StringBuilder text);
    }

    public JsonWriter(StringBuilder out) {
        this(out, null, Integer.MAX_VALUE);
    }

    /**
     * A writer that hands its text to {@code sink} once {@code spillAt} characters are buffered,
     * so a large answer is sent in pieces instead of being held whole (and copied) in memory.
     */
    public JsonWriter(StringBuilder out, Sink sink, int spillAt) {
        this.out = out;
        this.sink = sink;
        this.spillAt = spillAt;
    }

    /** Hands the buffered text to the sink when the buffer is full; called before every element. */
    public void spillIfFull() {
        if (out.length() >= spillAt && sink != null) {
            sink.write(out);
            out.setLength(0);
        }
    }

    public StringBuilder buffer() {
        return out;
    }

    private void sep() {
        spillIfFull();
        if (needComma) {
            out.append(',');
        }
        needComma = false;
    }

    public JsonWriter beginObject() {
        sep();
        out.append('{');
        return this;
    }

    public JsonWriter endObject() {
        out.append('}');
        needComma = true;
        return this;
    }

    public JsonWriter beginArray() {
        sep();
        out.append('[');
        return this;
    }

    public JsonWriter endArray() {
        out.append(']');
        needComma = true;
        return this;
    }

    public JsonWriter name(String name) {
        sep();
        string(out, name);
        out.append(':');
        return this;
    }

    public JsonWriter value(String s) {
        sep();
        if (s == null) {
            out.append("null");
        } else {
            string(out, s);
        }
        needComma = true;
        return this;
    }

    public JsonWriter value(long n) {
        sep();
        out.append(n);
        needComma = true;
        return this;
    }

    /** Writes pre-formatted JSON (a number or literal) as it is. */
    public JsonWriter raw(CharSequence json) {
        sep();
        out.append(json);
        needComma = true;
        return this;
    }

    public JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    static void string(StringBuilder out, String s) {
        out.append('"');
        if (plain(s)) {
            out.append(s).append('"');
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Whether {@code s} needs no escaping (the common case: names, label values). */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c == '\u2028' || c == '\u2029') {
                return false;
            }
        }
        return true;
    }
}
