package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM that is ingesting is killed with SIGKILL, three times on the same data dir; after
 * each kill the reopened store must hold every sample the child had committed (sealed or only in
 * the WAL), exactly, once, and reopen in seconds.
 */
class CrashTest {
    @TempDir
    Path dir;

    @Test
    void everyCommittedSampleSurvivesSigkill() throws Exception {
        long firstT = 1_000_000;
        long nextT = firstT;
        for (int round = 0; round < 3; round++) {
            long committed = KilledChild.runAndKill(CrashChild.class, dir, nextT, 1500);
            assertTrue(committed >= nextT, "round " + round + ": the child committed nothing");

            long t0 = System.nanoTime();
            try (Db db = Db.open(DbOptions.defaults(dir).withRetention(Long.MAX_VALUE / 4, 0))) {
                // Reported, not asserted: a shared machine's speed is no verdict on correctness.
                System.out.println("crash round " + round + ": reopened in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                    List<Series> all = q.select(List.of(Matcher.eq("__name__", "crash")));
                    assertEquals(CrashChild.SERIES, all.size());
                    for (Series s : all) {
                        int k = Integer.parseInt(s.labels().get("k"));
                        Samples sm = s.samples();
                        // Every committed timestamp from the first round on, once, in order, exact.
                        long expected = committed - firstT + 1;
                        assertTrue(sm.size() >= expected, "series " + k + " has " + sm.size() + " samples, expected at least " + expected);
                        // Everything present is contiguous and exact: nothing corrupt, nothing twice. Samples
                        // past the last report were committed by a child killed before it could say so.
                        for (int i = 0; i < sm.size(); i++) {
                            long t = firstT + i;
                            assertEquals(t, sm.timestamp(i), "series " + k + " sample " + i);
                            assertEquals(t * 0.5 + k, sm.value(i), "series " + k + " at " + t);
                        }
                        nextT = Math.max(nextT, firstT + sm.size());
                    }
                    // Rollups, whose windows span the child's seals and kills, equal the raw samples'.
                    for (long res : dev.sandglass.storage.rollup.RollupWriter.RESOLUTIONS_MS) {
                        for (var r : q.selectRollups(List.of(Matcher.eq("__name__", "crash")), res, Long.MIN_VALUE, Long.MAX_VALUE)) {
                            Samples sm = null;
                            for (Series s : all) {
                                if (s.labels().equals(r.labels())) {
                                    sm = s.samples();
                                }
                            }
                            dev.sandglass.storage.rollup.BruteForce.assertSame(dev.sandglass.storage.rollup.BruteForce.windows(sm, res), r,
                                    "round " + round + " " + r.labels());
                        }
                    }
                }
            }
        }
    }
}
