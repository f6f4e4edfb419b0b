package dev.sandglass.ingest.bulk;

/** A line that was not imported: its 1-based number and why. */
public record Rejection(long line, String reason) {
}
