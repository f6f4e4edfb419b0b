package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.segment.BlockWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Samples written twice (same series, same timestamp, same value) count once in the rollups, as
 * in raw reads: the same file imported twice, an import overlapping the last one, a write retried
 * after a seal (also after a restart, when only block headers bound what is sealed), and the WAL
 * replayed after a kill between a seal's raw blocks. Rollups against a brute-force computation
 * over the raw samples (RollupTest).
 */
class DuplicateRollupTest {
    private static final long DAY = 86_400_000L;

    @TempDir
    Path dir;

    /** Series k: a counter with resets, about one sample every 10 s over {@code hours} from t0. */
    private static Samples series(Random rnd, long t0, int hours) {
        Samples s = new Samples();
        double v = 0;
        for (long t = t0 + rnd.nextInt(10_000); t < t0 + hours * 3_600_000L; t += 5_000 + rnd.nextInt(10_000)) {
            v = rnd.nextInt(400) == 0 ? rnd.nextInt(5) : v + rnd.nextInt(100);
            s.add(t, v);
        }
        return s;
    }

    /** Where samples go: an Appender's or a BulkAppender's append. */
    private interface Sink {
        void add(long ref, long t, double v);
    }

    /** Each series' samples from {@code from}% to {@code to}% of it. */
    private static void write(Map<Integer, Samples> data, int from, int to, java.util.function.ToLongFunction<Labels> refs, Sink sink) {
        for (var e : data.entrySet()) {
            Samples s = e.getValue();
            long ref = refs.applyAsLong(Labels.of("__name__", "m_" + e.getKey()));
            for (int i = from * s.size() / 100; i < to * s.size() / 100; i++) {
                sink.add(ref, s.timestamp(i), s.value(i));
            }
        }
    }

    private static void importAll(Db db, Map<Integer, Samples> data, int from, int to) {
        try (BulkAppender b = db.bulkAppender()) {
            write(data, from, to, b::seriesRef, b::append);
            b.finish();
        }
    }

    private static Map<Integer, Samples> fleet(long t0, int hours) {
        Random rnd = new Random(5);
        Map<Integer, Samples> data = new java.util.HashMap<>();
        for (int k = 0; k < 6; k++) {
            data.put(k, series(rnd, t0 + k * 1000, hours));
        }
        return data;
    }

    /** Four hours of the fleet, ending an hour ago. */
    private static Map<Integer, Samples> recentFleet() {
        return fleet((System.currentTimeMillis() / 3_600_000L - 5) * 3_600_000L, 4);
    }

    @Test
    void aFileImportedTwiceOrOverlappingTheLastImportCountsOnce() {
        long t0 = (System.currentTimeMillis() / 3_600_000L - 30) * 3_600_000L;
        Map<Integer, Samples> data = fleet(t0, 26);
        DbOptions opts = DbOptions.defaults(dir).withRetention(100 * DAY, 0);
        try (Db db = Db.open(opts)) {
            importAll(db, data, 0, 60);
            importAll(db, data, 0, 60); // the same file again
            RollupTest.assertRollupsMatch(db, RollupTest.raw(db), "the same import twice");
            importAll(db, data, 40, 100); // overlapping the last import by a fifth
            RollupTest.assertRollupsMatch(db, RollupTest.raw(db), "an overlapping import");
        }
        try (Db db = Db.open(opts)) {
            importAll(db, data, 0, 100); // everything again after a restart: bounds from block headers only
            Map<String, Samples> raw = RollupTest.raw(db);
            assertEquals(data.get(0).size(), raw.get("m_0").size(), "raw reads keep one sample per timestamp");
            RollupTest.assertRollupsMatch(db, raw, "all of it again after a restart");
        }
    }

    @Test
    void writesRetriedAfterASealCountOnceAlsoAfterARestart() {
        Map<Integer, Samples> data = recentFleet();
        DbOptions opts = DbOptions.defaults(dir);
        try (Db db = Db.open(opts)) {
            append(db, data, 0, 50);
            db.seal();
            append(db, data, 30, 70); // a retry of what was sealed, and more
            db.seal();
            RollupTest.assertRollupsMatch(db, RollupTest.raw(db), "a retry after a seal");
        }
        try (Db db = Db.open(opts)) {
            append(db, data, 60, 100);
            db.seal();
            RollupTest.assertRollupsMatch(db, RollupTest.raw(db), "a retry after a restart");
        }
    }

    @Test
    void aKillBetweenASealsRawBlocksCountsTheReplayedSamplesOnce() {
        Map<Integer, Samples> data = recentFleet();
        DbOptions opts = DbOptions.defaults(dir);
        try (Db db = Db.open(opts)) {
            append(db, data, 0, 100);
            // The seal's first raw block got written, with no checkpoint and no rollups, then the kill.
            Samples s = data.get(0);
            int ref = (int) db.index().ref(Labels.of("__name__", "m_0"));
            db.appendRaw(BlockWriter.encode(List.of(new BlockWriter.SeriesData(ref, "m_0", s.timestamps(), s.values(), s.size())), -1));
            db.closeWithoutSeal();
        }
        try (Db db = Db.open(opts)) {
            // The open rolled the block up and replayed the whole WAL (m_0 included); the seal adds the rest once.
            db.seal();
            RollupTest.assertRollupsMatch(db, RollupTest.raw(db), "the seal after the replay");
        }
        try (Db db = Db.open(opts)) {
            RollupTest.assertRollupsMatch(db, RollupTest.raw(db), "after another open");
        }
    }

    private static void append(Db db, Map<Integer, Samples> data, int from, int to) {
        Appender a = db.appender();
        write(data, from, to, a::seriesRef, a::append);
        a.commit();
    }

    /** Imports and the storage job append from different threads: each append must work (it threw before). */
    @Test
    void rawBlocksAndRollupsAreAppendedFromAnyThread() throws Exception {
        Map<Integer, Samples> data = recentFleet();
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            importAll(db, data, 0, 30); // this thread
            Thread other = new Thread(() -> {
                importAll(db, data, 30, 60);
                append(db, data, 60, 100);
                db.seal();
            });
            Throwable[] failed = new Throwable[1];
            other.setUncaughtExceptionHandler((t, e) -> failed[0] = e);
            other.start();
            other.join();
            assertEquals(null, failed[0], "appends from a second thread");
            importAll(db, data, 0, 100); // this thread again, all of it written before
            RollupTest.assertRollupsMatch(db, RollupTest.raw(db), "after appends from two threads");
        }
    }
}
