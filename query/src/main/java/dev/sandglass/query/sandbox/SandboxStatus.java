package dev.sandglass.query.sandbox;

/**
 * A sandbox as the store last saw it: running, or stopped (its series ended with a staleness
 * marker, or it has not been seen for {@link SandboxViews#STOPPED_AFTER_MS}), its last-seen time
 * and its latest point.
 */
public record SandboxStatus(String name, boolean running, long lastSeenMs, SandboxPoint latest) {
    public String state() {
        return running ? "running" : "stopped";
    }
}
