package dev.sandglass.query.ast;

/** The {@code @} modifier: a fixed timestamp, or {@code start()} / {@code end()} of the query. */
public record AtModifier(Kind kind, long timestampMs) {
    public enum Kind { TIMESTAMP, START, END }

    public static AtModifier at(long timestampMs) {
        return new AtModifier(Kind.TIMESTAMP, timestampMs);
    }
}
