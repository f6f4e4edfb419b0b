package dev.sandglass.web.cli;

import dev.sandglass.ingest.bulk.ImportBudget;
import dev.sandglass.ingest.bulk.ImportOptions;
import dev.sandglass.ingest.bulk.ImportSummary;
import dev.sandglass.ingest.bulk.ProgressListener;
import dev.sandglass.ingest.bulk.TerminalProgress;
import dev.sandglass.ingest.bulk.TextImporter;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Load OpenMetrics or Prometheus text with timestamps straight into sealed segments.")
final class ImportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "the text file to import")
    Path file;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = "sandglass-data", description = "data directory (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--retention", defaultValue = "15d", converter = Converters.DurationMs.class,
            description = "keep raw samples newer than this (default: ${DEFAULT-VALUE}); older ones are kept as rollups only")
    long retentionMs;

    @Option(names = "--rollup-retention", defaultValue = "400d", converter = Converters.DurationMs.class,
            description = "keep rollups newer than this (default: ${DEFAULT-VALUE}); older samples are reported, not stored")
    long rollupRetentionMs;

    @Option(names = "--format", defaultValue = "auto", description = "auto, openmetrics or prometheus (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--memory.limit", converter = FlagValues.PositiveSize.class, paramLabel = "SIZE",
            description = "memory budget: the launcher gives the heap half of it, and the import seals what it holds"
                    + " (into segments, as a seal does) whenever its buffered samples pass a quarter of that heap (default: none, see README)")
    long memoryLimit;

    @Override
    public Integer call() throws java.io.IOException {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read " + file + ": no such file or not readable");
        }
        if (Files.size(file) == 0) {
            throw new IllegalArgumentException("nothing to import: " + file + " is empty");
        }
        ImportOptions.Format f;
        try {
            f = ImportOptions.Format.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --format \"" + format + "\": use auto, openmetrics or prometheus");
        }
        DbOptions options = (RetentionFlag.given(spec)
                ? DbOptions.defaults(dataDir).withRetention(retentionMs, 0)
                : DbOptions.defaults(dataDir).withDefaultRetention(retentionMs, 0)).withRollupRetention(rollupRetentionMs);
        // The file's first window is parsed while the store opens (parsing needs no store):
        // opening it is a fraction of a second of one core that the parse would otherwise wait for.
        int threads = ImportOptions.defaults(0).threads();
        ImportBudget budget = ImportBudget.ofHeap(memoryLimit);
        ProgressListener progress = TerminalProgress.forStderr();
        try (TextImporter.Parsed parsed = TextImporter.parse(file, f, threads, budget, progress)) {
            try (Db db = Db.open(options)) {
                // Samples past raw retention but within rollup retention are imported as rollups only.
                long now = System.currentTimeMillis();
                TextImporter importer = new TextImporter(db, new ImportOptions(f, Math.min(db.retentionCutoffMs(now), now - rollupRetentionMs), threads, budget));
                ImportSummary s = importer.store(parsed, progress);
                System.out.print(s.format());
                System.out.println("memory:   " + importer.flushes() + (importer.flushes() == 1 ? " flush: " : " flushes: ") + budget.describe());
                System.out.println("data dir: " + dataDir.toAbsolutePath());
                if (s.whyNothing() != null) {
                    throw new IllegalArgumentException("nothing imported from " + file + ": " + s.whyNothing());
                }
            }
        }
        return 0;
    }
}
