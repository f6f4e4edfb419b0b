package dev.sandglass.ingest.bulk;

/**
 * How to import: the text format (AUTO decides by the file), the retention cutoff (samples older
 * than it are counted and reported, not stored), how many parser threads to use and the memory
 * the import may hold (see {@link ImportBudget}).
 */
public record ImportOptions(Format format, long retentionCutoffMs, int threads, ImportBudget budget) {
    public enum Format { AUTO, OPENMETRICS, PROMETHEUS }

    /** With the budget of this JVM's heap. */
    public ImportOptions(Format format, long retentionCutoffMs, int threads) {
        this(format, retentionCutoffMs, threads, ImportBudget.ofHeap(0));
    }

    public static ImportOptions defaults(long retentionCutoffMs) {
        return new ImportOptions(Format.AUTO, retentionCutoffMs, Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
    }
}
