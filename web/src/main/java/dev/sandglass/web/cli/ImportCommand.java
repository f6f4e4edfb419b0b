package dev.sandglass.web.cli;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
        // The file is parsed while the store opens (parsing needs no store): opening it is a
        // fraction of a second of one core that the parse would otherwise wait for.
        ImportOptions.Format parseFormat = f;
        int threads = ImportOptions.defaults(0).threads();
        ProgressListener progress = TerminalProgress.forStderr();
        CompletableFuture<TextImporter.Parsed> parsing = new CompletableFuture<>();
        Thread parser = new Thread(() -> {
            try {
                parsing.complete(TextImporter.parse(file, parseFormat, threads, progress));
            } catch (Throwable t) {
                parsing.completeExceptionally(t);
            }
        }, "import-parse");
        parser.setDaemon(true);
        parser.start();
        try {
            try (Db db = Db.open(options)) {
                // Samples past raw retention but within rollup retention are imported as rollups only.
                long now = System.currentTimeMillis();
                TextImporter importer = new TextImporter(db, new ImportOptions(f, Math.min(db.retentionCutoffMs(now), now - rollupRetentionMs), threads));
                ImportSummary s = importer.store(parsed(parsing), progress);
                System.out.print(s.format());
                System.out.println("data dir: " + dataDir.toAbsolutePath());
                if (s.whyNothing() != null) {
                    throw new IllegalArgumentException("nothing imported from " + file + ": " + s.whyNothing());
                }
            }
        } finally {
            parser.interrupt(); // a store that would not open: the parse stops too (a no-op after it ended)
        }
        return 0;
    }

    /** The parse's result, or what it failed with (a file that cannot be read: the same message as before). */
    private static TextImporter.Parsed parsed(CompletableFuture<TextImporter.Parsed> parsing) {
        try {
            return parsing.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
