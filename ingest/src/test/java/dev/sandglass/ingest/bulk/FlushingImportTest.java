package dev.sandglass.ingest.bulk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.RollupSeries;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Storage;
import dev.sandglass.storage.api.StorageException;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import larger than its memory bound seals what it holds in several flushes: every sample
 * ends in the store, the rollups are those of one single import, a restart sees it all, and an
 * import stopped between flushes leaves the flushes before it whole.
 */
class FlushingImportTest {
    private static final long T0 = 1_764_000_000_000L;
    private static final int COUNTERS = 12;
    private static final int PER_COUNTER = 2_000;
    private static final int CHURN = 3_000;
    private static final long CENTURY = 100L * 365 * 86_400_000L;
    /** Windows of ~128 KiB of heap (~300 KiB of text), each past the bound: a flush after each. */
    private static final ImportBudget TINY = new ImportBudget(64 << 20, 64 << 10, 128 << 10);
    private static final ImportBudget AMPLE = new ImportBudget(1L << 30, 1L << 30, 256 << 20);

    @TempDir
    Path tmp;

    /**
     * Series after series (as exporters write them), ~1.8 MB: 12 counters over 100 minutes at 3 s
     * with resets (so windows and counter corrections cross the flushes), then 3,000 one-sample
     * series (churn).
     */
    private Path file() throws Exception {
        Path f = tmp.resolve("big.om");
        try (BufferedWriter w = Files.newBufferedWriter(f)) {
            for (int s = 0; s < COUNTERS; s++) {
                double v = 0;
                for (int i = 0; i < PER_COUNTER; i++) {
                    v = i % 397 == 0 ? i % 5 : v + (s + 1) * 0.5;
                    long t = T0 + i * 3_000L + s;
                    w.write("job_cpu_total{job=\"j" + s + "\",host=\"h" + (s % 3) + "\"} " + v + " " + t / 1000 + "." + String.format("%03d", t % 1000) + "\n");
                }
            }
            for (int i = 0; i < CHURN; i++) {
                long t = T0 + i * 250L;
                w.write("churn_up{run=\"run-" + i + "\",sandbox=\"sb-" + (i % 500) + "\"} " + i + " " + t / 1000 + "." + String.format("%03d", t % 1000) + "\n");
            }
            w.write("# EOF\n");
        }
        return f;
    }

    private static int totalSamples() {
        return COUNTERS * PER_COUNTER + CHURN;
    }

    private static DbOptions options(Path dir) {
        return DbOptions.defaults(dir).withRetention(CENTURY, 0);
    }

    private static ImportSummary importInto(Storage store, Path f, ImportBudget budget, int[] flushes) {
        TextImporter importer = new TextImporter(store, new ImportOptions(ImportOptions.Format.AUTO, Long.MIN_VALUE, 2, budget));
        ImportSummary s = importer.importFile(f, ProgressListener.NONE);
        flushes[0] = importer.flushes();
        return s;
    }

    /** Every series' raw samples and its 5-minute and 1-hour rollups, as text to compare. */
    private static Map<String, String> contents(Storage store) {
        Map<String, String> out = new TreeMap<>();
        List<Matcher> all = List.of(new Matcher(Matcher.Type.RE, "__name__", ".+"));
        try (Querier q = store.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            for (Series s : q.select(all)) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < s.samples().size(); i++) {
                    sb.append(s.samples().timestamp(i)).append('=').append(Double.doubleToRawLongBits(s.samples().value(i))).append(' ');
                }
                out.put("raw " + s.labels(), sb.toString());
            }
            for (long res : new long[] {300_000L, 3_600_000L}) {
                for (RollupSeries r : q.selectRollups(all, res, Long.MIN_VALUE, Long.MAX_VALUE)) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < r.size(); i++) {
                        sb.append(r.windowStart()[i]).append(':').append(r.firstT()[i]).append('-').append(r.lastT()[i])
                                .append(" n=").append(r.count()[i]).append(" sum=").append(r.sum()[i]).append(" min=").append(r.min()[i])
                                .append(" max=").append(r.max()[i]).append(" first=").append(r.first()[i]).append(" last=").append(r.last()[i])
                                .append(" corr=").append(r.correction()[i]).append(" ch=").append(r.changes()[i])
                                .append(" res=").append(r.resets()[i]).append('\n');
                    }
                    out.put("rollup " + res + " " + r.labels(), sb.toString());
                }
            }
        }
        return out;
    }

    @Test
    void anImportLargerThanItsBoundFlushesAndStoresWhatOneSealWould() throws Exception {
        Path f = file();
        int[] flushes = new int[1];
        Map<String, String> once;
        ImportSummary single;
        try (Db db = Db.open(options(tmp.resolve("once")))) {
            single = importInto(db, f, AMPLE, flushes);
            assertEquals(1, flushes[0]);
            once = contents(db);
        }
        Path dir = tmp.resolve("flushed");
        ImportSummary s;
        try (Db db = Db.open(options(dir))) {
            s = importInto(db, f, TINY, flushes);
            assertTrue(flushes[0] >= 4, "a flush after each window: " + flushes[0]);
            assertEquals(once, contents(db));
        }
        assertEquals(totalSamples(), s.samples());
        assertEquals(COUNTERS + CHURN, s.series());
        assertEquals(single.minTimeMs(), s.minTimeMs());
        assertEquals(single.maxTimeMs(), s.maxTimeMs());
        assertEquals(0, s.duplicateSamples());
        assertEquals(3 * (COUNTERS + CHURN), once.size(), "raw, 5m and 1h of every series");
        // A restart reads every flush back.
        try (Db db = Db.open(options(dir))) {
            assertEquals(once, contents(db));
        }
    }

    @Test
    void anImportStoppedBetweenFlushesLeavesTheFlushesBeforeItWholeAndCanBeRunAgain() throws Exception {
        Path f = file();
        Path dir = tmp.resolve("stopped");
        try (Db db = Db.open(options(dir))) {
            // The third flush fails (a full disk, say) before it writes anything.
            Storage failing = new FailingThirdFlush(db);
            StorageException e = assertThrows(StorageException.class, () -> importInto(failing, f, TINY, new int[1]));
            assertEquals("no space left (test)", e.getMessage());
        }
        List<String> lines = Files.readAllLines(f);
        try (Db db = Db.open(options(dir)); Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            // What is stored is exactly the file's first lines: the two flushes, nothing torn.
            java.util.Set<String> storedSamples = new java.util.HashSet<>();
            for (Series s : q.select(List.of(new Matcher(Matcher.Type.RE, "__name__", ".+")))) {
                for (int i = 0; i < s.samples().size(); i++) {
                    storedSamples.add(s.labels() + "@" + s.samples().timestamp(i) + "=" + s.samples().value(i));
                }
            }
            long stored = storedSamples.size();
            assertTrue(stored > 0 && stored < totalSamples(), "two flushes of several: " + stored);
            for (int k = 0; k < lines.size() - 1; k++) {
                String line = lines.get(k);
                String series = line.substring(0, line.indexOf('}') + 1);
                String[] parts = line.substring(series.length() + 1).split(" ");
                long t = new java.math.BigDecimal(parts[1]).movePointRight(3).longValueExact();
                String key = labels(series) + "@" + t + "=" + Double.parseDouble(parts[0]);
                assertEquals(k < stored, storedSamples.contains(key), "line " + (k + 1) + " stored: " + line);
            }
            // Their rollups count exactly the raw samples stored.
            double rolled = 0;
            for (RollupSeries r : q.selectRollups(List.of(new Matcher(Matcher.Type.RE, "__name__", ".+")), 300_000L, Long.MIN_VALUE, Long.MAX_VALUE)) {
                for (int i = 0; i < r.size(); i++) {
                    rolled += r.count()[i];
                }
            }
            assertEquals(stored, (long) rolled);
        }
        // Running the import again completes it: the samples already stored count once.
        Map<String, String> rerun;
        try (Db db = Db.open(options(dir))) {
            importInto(db, f, TINY, new int[1]);
            rerun = contents(db);
        }
        Map<String, String> once;
        try (Db db = Db.open(options(tmp.resolve("once")))) {
            importInto(db, f, AMPLE, new int[1]);
            once = contents(db);
        }
        assertEquals(once, rerun);
    }

    private static Labels labels(String seriesText) {
        List<String> kv = new ArrayList<>(List.of("__name__", seriesText.substring(0, seriesText.indexOf('{'))));
        for (String pair : seriesText.substring(seriesText.indexOf('{') + 1, seriesText.length() - 1).split(",")) {
            String[] nv = pair.split("=", 2);
            kv.add(nv[0]);
            kv.add(nv[1].substring(1, nv[1].length() - 1));
        }
        return Labels.of(kv.toArray(new String[0]));
    }

    @Test
    void theBudgetFollowsTheHeapAndTheMemoryLimit() {
        ImportBudget heapOnly = ImportBudget.of(1L << 30, 0);
        assertEquals(1L << 30, heapOnly.heapBytes());
        assertEquals(256L << 20, heapOnly.flushBytes());
        assertEquals(64L << 20, heapOnly.windowHeapBytes());
        // --memory.limit 256MiB: the heap is half of it, even in a larger JVM.
        ImportBudget limited = ImportBudget.of(1L << 30, 256L << 20);
        assertEquals(128L << 20, limited.heapBytes());
        assertEquals(32L << 20, limited.flushBytes());
        // A JVM smaller than half the limit counts as it is.
        assertEquals(100L << 20, ImportBudget.of(100L << 20, 1L << 30).heapBytes());
        // Tiny heaps keep floors: a flush is never a handful of series.
        assertEquals(ImportBudget.MIN_FLUSH, ImportBudget.of(8L << 20, 0).flushBytes());
        assertEquals(ParseStream.MIN_WINDOW, ImportBudget.of(8L << 20, 0).windowHeapBytes());
    }

    /** The real store, whose third bulk appender fails when asked to seal. */
    private static final class FailingThirdFlush implements Storage {
        private final Db db;
        private int appenders;

        FailingThirdFlush(Db db) {
            this.db = db;
        }

        @Override
        public Appender appender() {
            return db.appender();
        }

        @Override
        public BulkAppender bulkAppender() {
            BulkAppender real = db.bulkAppender();
            boolean fail = ++appenders == 3;
            return new BulkAppender() {
                @Override
                public long seriesRef(Labels labels) {
                    return real.seriesRef(labels);
                }

                @Override
                public void append(long ref, long timestampMs, double value) {
                    real.append(ref, timestampMs, value);
                }

                @Override
                public void appendAll(long ref, long[] ts, double[] vs, int n) {
                    real.appendAll(ref, ts, vs, n);
                }

                @Override
                public long finish() {
                    if (fail) {
                        throw new StorageException("no space left (test)");
                    }
                    return real.finish();
                }

                @Override
                public void close() {
                    real.close();
                }
            };
        }

        @Override
        public Querier querier(long minT, long maxT) {
            return db.querier(minT, maxT);
        }

        @Override
        public void close() {
            db.close();
        }
    }
}
