package dev.sandglass.storage;

import java.nio.file.Path;

/**
 * How to open a store: its directory, retention by age (ms) and by size (bytes of everything in
 * the directory; 0 means no size limit), and whether to open it read-only (offline queries).
 */
public record DbOptions(Path dir, long retentionMs, long retentionSizeBytes, boolean readOnly) {
    public static final long DEFAULT_RETENTION_MS = 15L * 24 * 3600 * 1000;

    public static DbOptions defaults(Path dir) {
        return new DbOptions(dir, DEFAULT_RETENTION_MS, 0, false);
    }

    public DbOptions withRetention(long ms, long sizeBytes) {
        return new DbOptions(dir, ms, sizeBytes, readOnly);
    }

    public DbOptions asReadOnly() {
        return new DbOptions(dir, retentionMs, retentionSizeBytes, true);
    }
}
