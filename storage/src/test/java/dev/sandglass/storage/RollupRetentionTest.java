package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.RollupSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rollup retention by age, and the one size budget: raw segments go first, the oldest rollups last. */
class RollupRetentionTest {
    private static final long DAY = 86_400_000L;

    @TempDir
    Path dir;

    /** Imports {@code parts} days of one series, each part a second apart (secondly segments and rollup cycles). */
    private static void importDays(Db db, long t0, int parts) throws InterruptedException {
        for (int p = 0; p < parts; p++) {
            try (BulkAppender b = db.bulkAppender()) {
                long ref = b.seriesRef(Labels.of("__name__", "m"));
                int n = (int) (DAY / 10_000);
                long[] t = new long[n];
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    t[i] = t0 + p * DAY + i * 10_000L + 7;
                    v[i] = i % 977;
                }
                b.appendAll(ref, t, v, n);
                b.finish();
            }
            Thread.sleep(1100);
        }
    }

    private static long windows(Db db) {
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<RollupSeries> r = q.selectRollups(List.of(Matcher.eq("__name__", "m")), 3_600_000L, Long.MIN_VALUE, Long.MAX_VALUE);
            return r.isEmpty() ? 0 : r.get(0).size();
        }
    }

    private static long rawSamples(Db db) {
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            var s = q.select(List.of(Matcher.eq("__name__", "m")));
            return s.isEmpty() ? 0 : s.get(0).samples().size();
        }
    }

    /** Allocated bytes, as the size budget counts them (apparent sizes include preallocated holes). */
    private static long bytesUnder(Path p) {
        return AllocatedBytes.of(p);
    }

    @Test
    void rollupsOutliveRawRetentionUntilTheirOwn() throws Exception {
        long now = System.currentTimeMillis();
        // Whole hours 50 days back, not midnight: rollup retention drops a cycle file by its newest
        // sample, so from midnight the second day's file would pass the 48.5-day cutoff after noon UTC.
        long t0 = (now - 50 * DAY) / 3_600_000L * 3_600_000L;
        DbOptions keepAll = DbOptions.defaults(dir).withRetention(100 * DAY, 0);
        try (Db db = Db.open(keepAll, TestRollCycles.TEST_SECONDLY, TestRollCycles.TEST_SECONDLY)) {
            importDays(db, t0, 3);
            assertEquals(72, windows(db));
        }
        // Raw kept 10 days, rollups 48.5 days: raw of all three days goes (but the segment being
        // written), rollups of the first day go, the rest stay.
        DbOptions short_ = DbOptions.defaults(dir).withRetention(10 * DAY, 0).withRollupRetention(48 * DAY + DAY / 2);
        try (Db db = Db.open(short_, TestRollCycles.TEST_SECONDLY, TestRollCycles.TEST_SECONDLY)) {
            long raw = rawSamples(db);
            assertTrue(raw <= DAY / 10_000, "at most the segment being written is left raw: " + raw + " samples");
            assertEquals(48, windows(db), "the first day's rollups are past rollup retention");
        }
    }

    /**
     * Chronicle reports the files it opens to a listener on its background thread, later; the
     * files of replaced excerpts were found through a map that listener fed, so under load (the
     * thread not yet run) they were forgotten but not deleted. Here that thread is held.
     */
    @Test
    void cycleFilesWhoseExcerptsWereAllCompactedAreDeleted() throws Exception {
        long t0 = (System.currentTimeMillis() / DAY - 3) * DAY;
        DbOptions opts = DbOptions.defaults(dir).withRetention(100 * DAY, 0);
        List<RollupSeries> before;
        try (Db db = Db.open(opts, TestRollCycles.TEST_SECONDLY, TestRollCycles.TEST_SECONDLY)) {
            sealTwoDays(db, t0);
            before = rollups(db);
        }
        long files = rollupFiles();
        // The open compacts both days (they ended over an hour ago); retention then finds what it replaced.
        try (ChronicleBackgroundThread held = ChronicleBackgroundThread.hold();
                Db db = Db.open(opts, TestRollCycles.TEST_SECONDLY, TestRollCycles.TEST_SECONDLY)) {
            db.applyRetention(System.currentTimeMillis());
            assertTrue(rollupFiles() < files, "files of replaced excerpts deleted: " + files + " then " + rollupFiles());
            assertSameWindows(before, rollups(db));
            assertTrue(db.segments().directory().stream().allMatch(h -> db.rollups().coverage(Long.MAX_VALUE).covers(h.index())),
                    "every raw block still covered");
        }
        try (Db db = Db.open(opts, TestRollCycles.TEST_SECONDLY, TestRollCycles.TEST_SECONDLY)) {
            assertSameWindows(before, rollups(db));
        }
    }

    /**
     * Two days of one series as a live server seals them (every 10 minutes of data); the second
     * starts a new secondly cycle file, as does whatever is written after.
     */
    private static void sealTwoDays(Db db, long t0) throws InterruptedException {
        var a = db.appender();
        long ref = a.seriesRef(Labels.of("__name__", "m"));
        for (int part = 0; part < 2; part++) {
            for (long t = t0 + part * DAY + 3; t < t0 + (part + 1) * DAY; t += 60_000) {
                a.append(ref, t, (t / 60_000) % 1000);
                if ((t - 3) % 600_000 == 0) {
                    a.commit();
                    db.seal();
                }
            }
            a.commit();
            db.seal();
            Thread.sleep(1100);
        }
    }

    private long rollupFiles() throws java.io.IOException {
        try (Stream<Path> files = Files.list(dir.resolve("rollups"))) {
            return files.filter(p -> p.toString().endsWith(".cq4")).count();
        }
    }

    private static List<RollupSeries> rollups(Db db) {
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            return q.selectRollups(List.of(Matcher.eq("__name__", "m")), 300_000L, Long.MIN_VALUE, Long.MAX_VALUE);
        }
    }

    private static void assertSameWindows(List<RollupSeries> want, List<RollupSeries> got) {
        assertEquals(1, got.size());
        RollupSeries a = want.get(0);
        RollupSeries b = got.get(0);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.windowStart()[i], b.windowStart()[i]);
            assertEquals(a.count()[i], b.count()[i]);
            assertEquals(a.sum()[i], b.sum()[i]);
            assertEquals(a.max()[i], b.max()[i]);
            assertEquals(a.last()[i], b.last()[i]);
            assertEquals(a.increase(i), b.increase(i));
        }
    }

    @Test
    void theSizeBudgetDropsRawFirstAndTheOldestRollupsLast() throws Exception {
        long t0 = (System.currentTimeMillis() / DAY - 20) * DAY;
        DbOptions keepAll = DbOptions.defaults(dir).withRetention(100 * DAY, 0);
        try (Db db = Db.open(keepAll, TestRollCycles.TEST_SECONDLY, TestRollCycles.TEST_SECONDLY)) {
            importDays(db, t0, 3);
        }
        long full = bytesUnder(dir);
        long raw = bytesUnder(dir.resolve("segments"));
        long rollups = bytesUnder(dir.resolve("rollups"));
        assertTrue(rollups > 0 && raw > 0, "raw " + raw + ", rollups " + rollups);
        // Room for everything but some raw: raw segments go, every rollup stays.
        try (Db db = Db.open(keepAll.withRetention(100 * DAY, full - raw / 2), TestRollCycles.TEST_SECONDLY, TestRollCycles.TEST_SECONDLY)) {
            assertTrue(rawSamples(db) < 3 * DAY / 10_000, "raw data was dropped");
            assertEquals(72, windows(db), "no rollup was dropped while raw data could go");
        }
        // Room for less than the rollups: every raw segment but the current goes, then the oldest rollups.
        try (Db db = Db.open(keepAll.withRetention(100 * DAY, full - raw - rollups / 3), TestRollCycles.TEST_SECONDLY,
                TestRollCycles.TEST_SECONDLY)) {
            long left = windows(db);
            assertTrue(left < 72 && left >= 24, "oldest rollups dropped, the newest kept: " + left + " windows");
            try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                RollupSeries r = q.selectRollups(List.of(Matcher.eq("__name__", "m")), 3_600_000L, Long.MIN_VALUE, Long.MAX_VALUE).get(0);
                assertTrue(r.windowStart()[0] >= t0 + DAY - 3_600_000L, "the oldest went first: " + r.windowStart()[0]);
            }
        }
    }
}
