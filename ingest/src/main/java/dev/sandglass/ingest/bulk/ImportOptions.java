package dev.sandglass.ingest.bulk;

/**
 * How to import: the text format (AUTO decides by the file), the retention cutoff (samples older
 * than it are counted and reported, not stored) and how many parser threads to use.
 */
public record ImportOptions(Format format, long retentionCutoffMs, int threads) {
    public enum Format { AUTO, OPENMETRICS, PROMETHEUS }

    public static ImportOptions defaults(long retentionCutoffMs) {
        return new ImportOptions(Format.AUTO, retentionCutoffMs, Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
    }
}
