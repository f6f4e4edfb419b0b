package dev.sandglass.storage;

import java.nio.file.Path;

/**
 * How to open a store: its directory, retention by age (ms) and by size (bytes of everything in
 * the directory; 0 means no size limit), whether to open it read-only (offline queries), how long
 * rollups are kept (ms), and whether the retention was given by the user or is a default: a
 * default retention shorter than the one the data dir was kept with is refused rather than
 * applied (see RetentionRecord).
 */
public record DbOptions(Path dir, long retentionMs, long retentionSizeBytes, boolean readOnly, long rollupRetentionMs,
        boolean retentionGiven) {
    public static final long DEFAULT_RETENTION_MS = 15L * 24 * 3600 * 1000;
    public static final long DEFAULT_ROLLUP_RETENTION_MS = 400L * 24 * 3600 * 1000;

    public DbOptions(Path dir, long retentionMs, long retentionSizeBytes, boolean readOnly) {
        this(dir, retentionMs, retentionSizeBytes, readOnly, DEFAULT_ROLLUP_RETENTION_MS, true);
    }

    /** The default retention, not given by anyone: never shortens what the data dir keeps. */
    public static DbOptions defaults(Path dir) {
        return new DbOptions(dir, DEFAULT_RETENTION_MS, 0, false, DEFAULT_ROLLUP_RETENTION_MS, false);
    }

    /** A retention the caller chose: applied even when it deletes data kept so far. */
    public DbOptions withRetention(long ms, long sizeBytes) {
        return new DbOptions(dir, ms, sizeBytes, readOnly, rollupRetentionMs, true);
    }

    /** A retention that is only a default (a flag left out): refused where it would shorten the recorded one. */
    public DbOptions withDefaultRetention(long ms, long sizeBytes) {
        return new DbOptions(dir, ms, sizeBytes, readOnly, rollupRetentionMs, false);
    }

    public DbOptions withRollupRetention(long ms) {
        return new DbOptions(dir, retentionMs, retentionSizeBytes, readOnly, ms, retentionGiven);
    }

    public DbOptions asReadOnly() {
        return new DbOptions(dir, retentionMs, retentionSizeBytes, true, rollupRetentionMs, retentionGiven);
    }
}
