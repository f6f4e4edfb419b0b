package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.RollupSeries;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import dev.sandglass.storage.rollup.BruteForce;
import dev.sandglass.storage.rollup.RollupWriter;
import dev.sandglass.storage.segment.BlockWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollup windows against a brute-force computation over the raw samples, for random counters and
 * gauges with resets, gaps, NaN and staleness markers, written across seals, restarts, a WAL
 * replay, a raw block whose rollups a crash prevented, and an import; then raw retention.
 */
class RollupTest {
    private static final long DAY = 86_400_000L;
    private static final Matcher ALL = new Matcher(Matcher.Type.RE, "__name__", "m_.*");

    @TempDir
    Path dir;

    /** Random samples of series k from t0 on, about one a second, with gaps, resets, NaN and staleness markers. */
    private static Samples series(Random rnd, long t0, int n) {
        Samples s = new Samples(n);
        long t = t0 + rnd.nextInt(1000);
        double v = rnd.nextInt(100);
        for (int i = 0; i < n; i++) {
            int r = rnd.nextInt(1000);
            if (r < 5) {
                t += 20 * 60_000L + rnd.nextInt(3_600_000); // a gap, sometimes over a window
            }
            if (r >= 5 && r < 15) {
                v = rnd.nextInt(10); // a reset
            } else {
                v += rnd.nextInt(50) * (rnd.nextInt(10) == 0 ? 0.25 : 1);
            }
            double value = r >= 15 && r < 18 ? Values.STALE_NAN : r == 18 ? Double.NaN : v;
            s.add(t, value);
            t += 500 + rnd.nextInt(1500);
        }
        return s;
    }

    /** Every m_* series' raw samples by name (shared with RollupSplitRepairTest). */
    static Map<String, Samples> raw(Db db) {
        Map<String, Samples> out = new HashMap<>();
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            for (Series s : q.select(List.of(ALL))) {
                out.put(s.labels().get("__name__"), s.samples());
            }
        }
        return out;
    }

    /** Each resolution's rollups of every m_* series equal a brute-force computation over {@code raw}. */
    static void assertRollupsMatch(Db db, Map<String, Samples> raw, String when) {
        for (long res : RollupWriter.RESOLUTIONS_MS) {
            try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                List<RollupSeries> got = q.selectRollups(List.of(ALL), res, Long.MIN_VALUE, Long.MAX_VALUE);
                assertEquals(raw.size(), got.size(), when + ": series");
                for (RollupSeries r : got) {
                    String name = r.labels().get("__name__");
                    BruteForce.assertSame(BruteForce.windows(raw.get(name), res), r, when + " " + name + " at " + res + " ms");
                }
            }
        }
    }

    @Test
    void windowsEqualBruteForceAcrossSealsRestartsReplayAndACrashBeforeRollups() {
        Random rnd = new Random(42);
        long t0 = System.currentTimeMillis() - 2 * DAY;
        int seriesN = 6;
        Samples[] data = new Samples[seriesN];
        for (int k = 0; k < seriesN; k++) {
            data[k] = series(rnd, t0, 6000);
        }
        DbOptions opts = DbOptions.defaults(dir).withRetention(100 * DAY, 0);
        int[] next = new int[seriesN];
        Map<String, Samples> expected;
        for (int round = 0; round < 4; round++) {
            try (Db db = Db.open(opts)) {
                Appender a = db.appender();
                long[] refs = new long[seriesN];
                for (int k = 0; k < seriesN; k++) {
                    refs[k] = a.seriesRef(Labels.of("__name__", "m_" + k));
                }
                // A quarter of each series, sealed at random points (cutting windows), committed in batches.
                for (int k = 0; k < seriesN; k++) {
                    int end = Math.min(data[k].size(), next[k] + 1500);
                    for (int i = next[k]; i < end; i++) {
                        a.append(refs[k], data[k].timestamp(i), data[k].value(i));
                        if (i % 97 == 0) {
                            a.commit();
                        }
                        if (rnd.nextInt(700) == 0) {
                            a.commit();
                            db.seal();
                        }
                    }
                    a.commit();
                    next[k] = end;
                }
                expected = raw(db);
                assertRollupsMatch(db, expected, "round " + round + " before the seal");
                if (round == 1) {
                    // A crash between a raw block and its rollups: the block is there, its rollups are not.
                    Samples extra = new Samples();
                    long base = data[0].timestamp(next[0] - 1) + 1;
                    for (int i = 0; i < 400; i++) {
                        extra.add(base + i * 1000L, 5_000 + i % 70);
                    }
                    int ref = (int) a.seriesRef(Labels.of("__name__", "m_crash"));
                    db.appendRaw(BlockWriter.encode(List.of(new BlockWriter.SeriesData(ref, "m_crash", extra.timestamps(),
                            extra.values(), extra.size())), -1));
                    expected = raw(db);
                    assertRollupsMatch(db, expected, "round 1, a block without rollups");
                }
                if (round == 2) {
                    db.closeWithoutSeal(); // the next open replays the WAL
                }
            }
            try (Db db = Db.open(opts)) {
                assertRollupsMatch(db, raw(db), "round " + round + " after reopening");
                if (round == 1) {
                    assertTrue(db.segments().directory().stream().allMatch(h -> db.rollups().coverage(Long.MAX_VALUE).covers(h.index())), "the open rolled up the block");
                }
            }
        }
    }

    @Test
    void importWritesRollupsAndRawRetentionKeepsThem() {
        long now = System.currentTimeMillis();
        long t0 = now - 30 * DAY;
        Random rnd = new Random(7);
        Map<String, Samples> imported = new HashMap<>();
        DbOptions opts = DbOptions.defaults(dir).withRetention(10 * DAY, 0);
        // Imported while raw retention is 100 days, so everything is kept raw at first.
        try (Db db = Db.open(opts.withRetention(100 * DAY, 0), TestRollCycles.TEST_SECONDLY)) {
            // Two imports a second apart, so their blocks are in different (secondly) segments:
            // days 0 to 15 of the 25, then the rest. Retention (10 days) then drops the first.
            for (int part = 0; part < 2; part++) {
                try (BulkAppender b = db.bulkAppender()) {
                    for (int k = 0; k < 3; k++) {
                        Samples s = imported.computeIfAbsent("m_" + k, x -> new Samples());
                        Samples mine = new Samples();
                        double v = s.size() == 0 ? 0 : s.value(s.size() - 1);
                        long from = part == 0 ? t0 + k * 7 : s.timestamp(s.size() - 1) + 30_000;
                        long until = t0 + (part == 0 ? 15 : 25) * DAY;
                        for (long t = from; t < until; t += 30_000) {
                            v = rnd.nextInt(5000) == 0 ? 0 : v + rnd.nextInt(100);
                            s.add(t, v);
                            mine.add(t, v);
                        }
                        long ref = b.seriesRef(Labels.of("__name__", "m_" + k));
                        b.appendAll(ref, mine.timestamps(), mine.values(), mine.size());
                    }
                    b.finish();
                }
                sleepPastSecond();
            }
            assertRollupsMatch(db, imported, "after the import");
            try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                assertEquals(Long.MIN_VALUE, q.rawStartMs(), "raw covers everything");
            }
        }
        // Then retention is 10 days: the first import's segments go, their rollups stay.
        try (Db db = Db.open(opts, TestRollCycles.TEST_SECONDLY)) {
            Map<String, Samples> left = raw(db);
            assertTrue(left.get("m_0").size() < imported.get("m_0").size() / 2, "raw retention dropped the old data");
            assertRollupsMatch(db, imported, "after raw retention");
            try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                long rawStart = q.rawStartMs();
                assertTrue(rawStart > t0 && rawStart >= left.get("m_0").timestamp(0) - DAY, "raw starts at " + rawStart);
            }
        }
        try (Db db = Db.open(opts, TestRollCycles.TEST_SECONDLY)) {
            assertRollupsMatch(db, imported, "after raw retention and a reopen");
        }
    }

    @Test
    void compactionMergesADaysSealsIntoOneExcerptPerResolutionAndChangesNoWindow() {
        Random rnd = new Random(11);
        // The data's last day must have ended over an hour ago, or compaction leaves it alone: data
        // from four days ago to two days ago passes at any hour (three days ago failed from 00:00
        // to 01:00 UTC, yesterday's excerpts still uncompacted).
        long t0 = (System.currentTimeMillis() / DAY - 4) * DAY;
        Samples data = new Samples();
        double v = 0;
        for (int i = 0; i < 45_000; i++) { // 2.6 days at 5 s, with resets and staleness markers
            v = rnd.nextInt(3000) == 0 ? 0 : v + rnd.nextInt(100);
            data.add(t0 + i * 5_000L + rnd.nextInt(1000), rnd.nextInt(5000) == 0 ? Values.STALE_NAN : v);
        }
        DbOptions opts = DbOptions.defaults(dir).withRetention(100 * DAY, 0);
        try (Db db = Db.open(opts)) {
            Appender a = db.appender();
            long ref = a.seriesRef(Labels.of("__name__", "m_0"));
            for (int i = 0; i < data.size(); i++) {
                a.append(ref, data.timestamp(i), data.value(i));
                if (i % 120 == 119) {
                    a.commit();
                    db.seal(); // every 10 minutes of data, as a live server seals
                }
            }
            a.commit();
            db.seal();
            int before = db.rollups().live(Long.MAX_VALUE).size();
            Map<String, Samples> raw = raw(db);
            assertRollupsMatch(db, raw, "before compaction");
            db.compactRollups();
            List<dev.sandglass.storage.rollup.RollupStore.Entry> after = db.rollups().live(Long.MAX_VALUE);
            long days = after.stream().map(e -> Math.floorDiv(e.header().minT(), DAY)).distinct().count();
            // Per resolution: one per finished day, the excerpts of seals across midnight, and today's.
            long today = db.rollups().live(Long.MAX_VALUE).stream().filter(e -> e.header().minT() >= System.currentTimeMillis() / DAY * DAY).count();
            assertTrue(before > 700 && after.size() <= 2 * (days + days) + today, before + " excerpts, then " + after.size() + " over " + days + " days");
            assertRollupsMatch(db, raw, "after compaction");
            db.compactRollups();
            assertEquals(after.size(), db.rollups().live(Long.MAX_VALUE).size(), "a second run has nothing to do");
        }
        try (Db db = Db.open(opts)) {
            assertRollupsMatch(db, raw(db), "after compaction and a reopen");
        }
    }

    @Test
    void importOfDataPastRawRetentionKeepsOnlyItsRollups() {
        long t0 = System.currentTimeMillis() - 40 * DAY;
        Samples s = new Samples();
        for (long t = t0 + 555; t < t0 + 20 * DAY; t += 60_000) {
            s.add(t, Math.sin(t / 1e7) * 100);
        }
        try (Db db = Db.open(DbOptions.defaults(dir).withRetention(30 * DAY, 0))) {
            try (BulkAppender b = db.bulkAppender()) {
                b.appendAll(b.seriesRef(Labels.of("__name__", "m_0")), s.timestamps().clone(), s.values().clone(), s.size());
                b.finish();
            }
            Samples raw = raw(db).get("m_0");
            assertTrue(raw.timestamp(0) >= t0 + 10 * DAY - 31 * 60_000L, "no raw block wholly past retention: " + raw.timestamp(0));
            assertRollupsMatch(db, Map.of("m_0", s), "rollups of everything imported");
        }
    }

    private static void sleepPastSecond() {
        try {
            Thread.sleep(1100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
