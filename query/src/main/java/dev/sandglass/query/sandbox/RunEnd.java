package dev.sandglass.query.sandbox;

/**
 * How a run of a sandbox ended: a restart (a new run followed) or a stop (none did), worked out
 * from the stored run records. The figures describe the old run's final minute; a figure the
 * sandbox did not report is NaN. {@code firstMs} and {@code newRunId} are absent for a stop.
 */
public record RunEnd(Kind kind, String sandbox, String sandboxId, String oldRunId, String newRunId,
                     long lastMs, Long firstMs, double uptimeSeconds,
                     double memoryLastBytes, double memoryPeakBytes, double memoryLimitBytes, double cpuLastPercent) {
    /** Memory at or above this share of the limit in the final minute marks an event (a hint, not a diagnosis). */
    public static final double NEAR_LIMIT = 0.9;
    /** The final minute of a run, over which the end-of-life figures are taken. */
    public static final long FINAL_WINDOW_MS = 60_000;

    public enum Kind {
        RESTART, STOP;

        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** When it happened: the new run's first sample for a restart, the last sample for a stop. */
    public long timeMs() {
        return firstMs != null ? firstMs : lastMs;
    }

    /** Seconds with no samples between the runs (null for a stop). */
    public Double gapSeconds() {
        return firstMs == null ? null : (firstMs - lastMs) / 1000.0;
    }

    /** Peak memory over the limit in the final minute, NaN when either is unknown. */
    public double memoryPeakRatio() {
        return memoryLimitBytes > 0 ? memoryPeakBytes / memoryLimitBytes : Double.NaN;
    }

    /** True, false, or null when memory or its limit was not reported. */
    public Boolean memoryNearLimit() {
        double r = memoryPeakRatio();
        return Double.isNaN(r) ? null : r >= NEAR_LIMIT;
    }
}
