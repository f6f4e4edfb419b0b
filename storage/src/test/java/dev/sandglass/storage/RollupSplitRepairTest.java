package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.RollupSeries;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.rollup.Crashing;
import dev.sandglass.storage.rollup.RollupStore;
import dev.sandglass.storage.rollup.RollupWriter;
import dev.sandglass.storage.segment.BlockHeader;
import dev.sandglass.storage.segment.SegmentStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollups written in several parts through the store: a repair cut short after some parts (a
 * kill -9 midway) leaves its raw blocks uncovered, and the next open rolls them up exactly once;
 * an import of more series than one excerpt takes writes all their rollups.
 */
class RollupSplitRepairTest {

    @TempDir
    Path dir;

    /** Writes 200 counters of 3 hours at about 15 s through seals, then leaves raw blocks without rollups. */
    private Map<String, Samples> rawBlocksWithoutRollups() throws Exception {
        Random rnd = new Random(3);
        long t0 = (System.currentTimeMillis() / 3_600_000L - 5) * 3_600_000L;
        Map<String, Samples> raw;
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            Appender a = db.appender();
            for (int k = 0; k < 200; k++) {
                long ref = a.seriesRef(Labels.of("__name__", "m_" + k));
                double v = 0;
                for (long t = t0 + rnd.nextInt(30_000); t < t0 + 3 * 3_600_000L; t += 10_000 + rnd.nextInt(10_000)) {
                    v = rnd.nextInt(300) == 0 ? 0 : v + rnd.nextInt(40);
                    a.append(ref, t, v);
                }
            }
            a.commit();
            db.seal();
            raw = RollupTest.raw(db);
        }
        // As a data dir whose rollups were never written (kill -9 right after the raw blocks).
        try (var files = java.nio.file.Files.walk(dir.resolve("rollups"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        return raw;
    }

    private void repairCutShort(RollupWriter w) {
        try (SegmentStore segments = new SegmentStore(dir.resolve("segments"), false);
                RollupStore rollups = new RollupStore(dir.resolve("rollups"), false)) {
            assertThrows(StorageException.class, () -> RollupRepair.run(segments, rollups, w));
        }
    }

    private void assertNothingCovered(int parts) {
        try (SegmentStore segments = new SegmentStore(dir.resolve("segments"), true);
                RollupStore rollups = new RollupStore(dir.resolve("rollups"), true)) {
            assertEquals(parts, rollups.directory().size(), "parts written before the crash");
            assertTrue(rollups.counted(Long.MAX_VALUE).isEmpty(), "no part counts without the last");
            for (BlockHeader h : segments.directory()) {
                assertFalse(rollups.coverage(Long.MAX_VALUE).covers(h.index()), "block " + h.index() + " claimed");
            }
        }
    }

    @Test
    void aRepairCutShortAfterSomePartsIsRedoneAtOpenAndCountedOnce() throws Exception {
        Map<String, Samples> raw = rawBlocksWithoutRollups();
        RollupWriter w = Crashing.writer(8192, 3);
        repairCutShort(w);
        assertNothingCovered(3);
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            // The repair at open wrote the blocks' rollups again, the orphan parts left out.
            RollupTest.assertRollupsMatch(db, raw, "after the repair at open");
            long covered = db.segments().directory().stream().filter(h -> db.rollups().coverage(Long.MAX_VALUE).covers(h.index())).count();
            assertEquals(db.segments().directory().size(), covered, "every block covered");
        }
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            RollupTest.assertRollupsMatch(db, raw, "after another open");
        }
    }

    @Test
    void aCrashAfterTheFiveMinuteExcerptLeavesNoHourGap() throws Exception {
        Map<String, Samples> raw = rawBlocksWithoutRollups();
        repairCutShort(Crashing.writer(RollupStore.MAX_EXCERPT_BYTES, 1));
        assertNothingCovered(1);
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            RollupTest.assertRollupsMatch(db, raw, "after the repair at open");
        }
    }

    @Test
    void anImportOfMoreSeriesThanOneExcerptTakesWritesAllTheirRollups() {
        // One excerpt of 131,072 such series took 10.7 MB, over the queue's 4 MB: 60,000 take two
        // parts per resolution (150,000 would too, but take ~11 s here against ~4.5 s).
        int n = 60_000;
        long t = (System.currentTimeMillis() / 3_600_000L - 2) * 3_600_000L + 1234;
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            try (BulkAppender b = db.bulkAppender()) {
                for (int k = 0; k < n; k++) {
                    b.append(b.seriesRef(Labels.of("__name__", "m_big", "k", Integer.toString(k))), t, k);
                }
                b.finish();
            }
            List<RollupStore.Entry> counted = db.rollups().counted(Long.MAX_VALUE);
            assertTrue(counted.size() >= 4, counted.size() + " excerpts");
            for (RollupStore.Entry e : counted) {
                assertTrue(e.bytes() <= RollupStore.MAX_EXCERPT_BYTES);
            }
            try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                List<RollupSeries> got = q.selectRollups(List.of(new Matcher(Matcher.Type.EQ, "__name__", "m_big")), RollupWriter.RESOLUTIONS_MS[1],
                        Long.MIN_VALUE, Long.MAX_VALUE);
                assertEquals(n, got.size());
                for (RollupSeries r : got) {
                    assertEquals(1, r.size());
                    assertEquals(1.0, r.count()[0]);
                    assertEquals(Double.parseDouble(r.labels().get("k")), r.sum()[0]);
                }
            }
        }
    }
}
