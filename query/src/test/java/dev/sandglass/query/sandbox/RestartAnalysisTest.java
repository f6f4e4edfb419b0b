package dev.sandglass.query.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Values;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts worked out when run ids repeat: a demo (or any registry writer) restarted on the same
 * data dir counts runs from 1 again with the same pids, and nothing marks the old runs stale when
 * Sandglass stops. Gaps must never be negative; a run that merely went unobserved is not a restart.
 */
class RestartAnalysisTest {
    static final long T = 1_800_000_000_000L;

    @TempDir
    Path tmp;

    /** One run of sbx-1 sampled every second over [fromS, toS] seconds after T, its uptime starting at {@code uptime0}. */
    private static void run(Appender a, String runId, int fromS, int toS, double uptime0) {
        long up = a.seriesRef(Labels.of("__name__", SandboxField.UPTIME_SECONDS.metric(), "sandbox_name", "sbx-1", "sandbox_id", "1"));
        long info = a.seriesRef(Labels.of("__name__", SandboxField.RUN_INFO, "sandbox_name", "sbx-1", "sandbox_id", "1", "run_id", runId, "pid", "400" + runId));
        for (int s = fromS; s <= toS; s++) {
            a.append(up, T + s * 1000L, uptime0 + s - fromS);
            a.append(info, T + s * 1000L, 1);
        }
    }

    private static void stale(Appender a, String runId, int atS) {
        a.append(a.seriesRef(Labels.of("__name__", SandboxField.RUN_INFO, "sandbox_name", "sbx-1", "sandbox_id", "1", "run_id", runId, "pid", "400" + runId)),
                T + atS * 1000L, Values.STALE_NAN);
    }

    @Test
    void demoRestartedOnTheSameDataDirGivesNoNegativeGap() {
        try (Db db = Db.open(DbOptions.defaults(tmp.resolve("data")))) {
            Appender a = db.appender();
            // First session: run 1, then a restart to run 2 (the collector marks run 1 stale).
            run(a, "1", 0, 10, 0);
            stale(a, "1", 11);
            run(a, "2", 12, 20, 0);
            // Sandglass and the demo stopped (no marker); started again: run 1 again, same pid.
            run(a, "1", 30, 40, 0);
            a.commit();
            List<RunEnd> events = new RestartAnalysis(db).between(T - 1000, T + 41_000, "sbx-1", T + 41_000);
            assertEquals(2, events.size(), events.toString());
            for (RunEnd e : events) {
                assertTrue(e.gapSeconds() >= 0, "negative gap: " + e);
            }
            assertEquals("1", events.get(0).oldRunId());
            assertEquals("2", events.get(0).newRunId());
            assertEquals(2.0, events.get(0).gapSeconds());
            assertEquals(10.0, events.get(0).uptimeSeconds());
            assertEquals("2", events.get(1).oldRunId());
            assertEquals("1", events.get(1).newRunId());
            assertEquals(T + 20_000, events.get(1).lastMs());
            assertEquals(10.0, events.get(1).gapSeconds());
        }
    }

    @Test
    void aRunNotObservedForAWhileIsNotARestart() {
        try (Db db = Db.open(DbOptions.defaults(tmp.resolve("data")))) {
            Appender a = db.appender();
            run(a, "1", 0, 10, 100);
            run(a, "1", 30, 40, 130); // Sandglass was down 20 s; the sandbox kept running
            a.commit();
            assertEquals(List.of(), new RestartAnalysis(db).between(T - 1000, T + 41_000, "sbx-1", T + 41_000));
        }
    }

    @Test
    void aRestartWhoseGapBeganBeforeSinceIsListed() {
        try (Db db = Db.open(DbOptions.defaults(tmp.resolve("data")))) {
            Appender a = db.appender();
            run(a, "1", 0, 10, 0);
            stale(a, "1", 11);
            // Down for two hours (longer than the first look-back), then run 2.
            int back = 2 * 3600 + 10;
            run(a, "2", back, back + 10, 0);
            a.commit();
            long since = T + 3600_000L + 1800_000L; // inside the gap: only run 2 is within an hour before it
            List<RunEnd> events = new RestartAnalysis(db).between(since, T + (back + 11) * 1000L, "sbx-1", T + (back + 11) * 1000L);
            assertEquals(1, events.size(), events.toString());
            RunEnd e = events.get(0);
            assertEquals(RunEnd.Kind.RESTART, e.kind());
            assertEquals("1", e.oldRunId());
            assertEquals("2", e.newRunId());
            assertEquals(T + 10_000, e.lastMs());
            assertEquals(T + back * 1000L, e.timeMs());
            assertEquals(back - 10.0, e.gapSeconds());
            assertEquals(10.0, e.uptimeSeconds());
            // A sandbox first seen in range has no run before it: no event.
            assertEquals(List.of(), new RestartAnalysis(db).between(T - 1000, T + 10_500, "sbx-1", T + 10_500));
        }
    }
}
