package dev.sandglass.storage;

import java.nio.file.Path;

/**
 * How to open a store: its directory, retention by age (ms) and by size (bytes of everything in
 * the directory; 0 means no size limit), whether to open it read-only (offline queries), and how
 * long rollups are kept (ms).
 */
public record DbOptions(Path dir, long retentionMs, long retentionSizeBytes, boolean readOnly, long rollupRetentionMs) {
    public static final long DEFAULT_RETENTION_MS = 15L * 24 * 3600 * 1000;
    public static final long DEFAULT_ROLLUP_RETENTION_MS = 400L * 24 * 3600 * 1000;

    public DbOptions(Path dir, long retentionMs, long retentionSizeBytes, boolean readOnly) {
        this(dir, retentionMs, retentionSizeBytes, readOnly, DEFAULT_ROLLUP_RETENTION_MS);
    }

    public static DbOptions defaults(Path dir) {
        return new DbOptions(dir, DEFAULT_RETENTION_MS, 0, false);
    }

    public DbOptions withRetention(long ms, long sizeBytes) {
        return new DbOptions(dir, ms, sizeBytes, readOnly, rollupRetentionMs);
    }

    public DbOptions withRollupRetention(long ms) {
        return new DbOptions(dir, retentionMs, retentionSizeBytes, readOnly, ms);
    }

    public DbOptions asReadOnly() {
        return new DbOptions(dir, retentionMs, retentionSizeBytes, true, rollupRetentionMs);
    }
}
