package dev.sandglass.ingest.scrape;

/** A scrape that failed, with a short reason (for the failures counter) and a message saying what to do. */
public final class ScrapeException extends RuntimeException {
    private final String reason;

    public ScrapeException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
