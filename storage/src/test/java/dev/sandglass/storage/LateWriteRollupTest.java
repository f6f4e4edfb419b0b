package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.RollupSeries;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.rollup.BruteForce;
import dev.sandglass.storage.rollup.RollupWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Samples written late into windows a seal had already rolled up (between samples already
 * sealed, before the first, after the last): the rollups still give the windows of all samples
 * in time order, as raw reads see them, for a counter without resets (first, last and increase
 * included), after a restart too.
 */
class LateWriteRollupTest {
    @TempDir
    Path dir;

    @Test
    void lateSamplesInSealedWindowsKeepFirstLastAndIncreaseByTime() {
        long t0 = (System.currentTimeMillis() - 86_400_000L) / 3_600_000L * 3_600_000L;
        DbOptions opts = DbOptions.defaults(dir).withRetention(100 * 86_400_000L, 0);
        try (Db db = Db.open(opts)) {
            Appender a = db.appender();
            long ref = a.seriesRef(Labels.of("__name__", "m_late"));
            // A counter at 10 s steps over two hours, every other sample and the first held back.
            for (int i = 2; i < 720; i += 2) {
                a.append(ref, t0 + i * 10_000L, i * 3.0);
            }
            a.commit();
            db.seal();
            // The held-back samples, late: each between two sealed ones, and the first before them all.
            for (int i = 1; i < 720; i += 2) {
                a.append(ref, t0 + i * 10_000L, i * 3.0);
            }
            a.append(ref, t0, 0.0);
            a.commit();
            db.seal();
            assertRollupsMatchRaw(db, "after the late seal");
        }
        try (Db db = Db.open(opts)) {
            assertRollupsMatchRaw(db, "after a restart");
            db.compactRollups();
            assertRollupsMatchRaw(db, "after compaction");
        }
    }

    private static void assertRollupsMatchRaw(Db db, String when) {
        List<Matcher> m = List.of(Matcher.eq("__name__", "m_late"));
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            Samples raw = q.select(m).get(0).samples();
            assertEquals(720, raw.size(), when + ": raw samples");
            for (long res : RollupWriter.RESOLUTIONS_MS) {
                List<RollupSeries> got = q.selectRollups(m, res, Long.MIN_VALUE, Long.MAX_VALUE);
                BruteForce.assertSame(BruteForce.windows(raw, res), got.get(0), when + " at " + res + " ms", false);
            }
        }
    }
}
