package dev.sandglass.query.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.RollupSeries;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts of a crash-looping sandbox: seven over three hours, six of them inside one hour and two
 * of those inside one 5-minute window, one on the first sample of a window (a change between
 * windows). Counted every one, at both resolutions, from the start-time series (sbx-loop), from
 * uptime alone (sbx-up), and from one start-time series per run (sbx-runs, as with
 * --series-run-labels). Written across seals and a reopen, so windows come from rollup parts cut
 * by seals, and from the head.
 */
class CrashLoopCapacityTest {
    private static final long T0 = 1_760_000_000_000L / 3_600_000L * 3_600_000L;
    private static final long STEP = 10_000;
    /** Restart times from T0: one in the first hour; then at the second hour's first sample, and five more in that hour. */
    private static final long[] RESTARTS = {1_801_000, 3_601_000, 3_901_000, 4_231_000, 4_321_000, 5_001_000, 6_001_000};

    @TempDir
    Path dir;

    private static Labels l(String name, String sandbox, String... more) {
        Labels base = Labels.of("__name__", name, "sandbox_name", sandbox, "job", "microsandbox");
        return more.length == 0 ? base : Labels.of("__name__", name, "sandbox_name", sandbox, "job", "microsandbox", more[0], more[1]);
    }

    private static void write(Db db, long from, long to) {
        Appender a = db.appender();
        for (long t = T0 + 1_000 + from; t < T0 + to; t += STEP) {
            long restart = T0;
            int run = 0;
            for (long r : RESTARTS) {
                if (T0 + r <= t) {
                    restart = T0 + r;
                    run++;
                }
            }
            a.append(a.seriesRef(l(CapacityCalculator.START, "sbx-loop")), t, restart / 1000.0);
            a.append(a.seriesRef(l(CapacityCalculator.UPTIME, "sbx-up")), t, (t - restart) / 1000.0);
            a.append(a.seriesRef(l(CapacityCalculator.START, "sbx-runs", "run", "r" + run)), t, restart / 1000.0);
            if ((t - T0) % 1_337_000 == 1_000) {
                a.commit();
                db.seal();
            }
        }
        a.commit();
    }

    private static Map<String, Long> restarts(Db db, long rangeMs, long res) {
        Map<String, Long> out = new HashMap<>();
        CapacityReport r = CapacityCalculator.compute(db, T0 + 3 * 3_600_000L, rangeMs, res, null);
        for (CapacityReport.Sandbox s : r.sandboxes()) {
            out.put(s.name(), s.figures().restarts());
        }
        out.put("fleet", r.fleet().restarts());
        return out;
    }

    @Test
    void everyRestartOfACrashLoopCounts() {
        DbOptions opts = DbOptions.defaults(dir).withRetention(100L * 365 * 86_400_000L, 0);
        try (Db db = Db.open(opts)) {
            write(db, 0, 4_000_000);
        }
        try (Db db = Db.open(opts)) {
            write(db, 4_000_000, 3 * 3_600_000L);
            for (long res : new long[] {CapacityCalculator.FIVE_MINUTES_MS, CapacityCalculator.HOUR_MS}) {
                assertEquals(Map.of("sbx-loop", 7L, "sbx-up", 7L, "sbx-runs", 7L, "fleet", 21L), restarts(db, 3 * 3_600_000L, res),
                        "three hours at " + res + " ms");
                assertEquals(Map.of("sbx-loop", 6L, "sbx-up", 6L, "sbx-runs", 6L, "fleet", 18L), restarts(db, 2 * 3_600_000L, res),
                        "the last two hours at " + res + " ms: the restart on the range's first sample counts, the one before not");
            }
            db.seal();
            assertEquals(Map.of("sbx-loop", 7L, "sbx-up", 7L, "sbx-runs", 7L, "fleet", 21L),
                    restarts(db, 3 * 3_600_000L, CapacityCalculator.HOUR_MS), "all sealed");
        }
    }

    /** A window as rollup format 3 stores it (changes, resets) or as format 2 did (NaN: unknown). */
    private static RollupSeries series(String metric, double[] first, double[] last, double[] changes, double[] resets) {
        int n = first.length;
        long[] start = new long[n];
        long[] firstT = new long[n];
        long[] lastT = new long[n];
        for (int k = 0; k < n; k++) {
            start[k] = T0 + k * CapacityCalculator.HOUR_MS;
            firstT[k] = start[k] + 1_000;
            lastT[k] = start[k] + 3_590_000;
        }
        double[] count = new double[n];
        java.util.Arrays.fill(count, 360);
        double[] corr = new double[n];
        for (int k = 0; k < n; k++) {
            corr[k] = Double.isNaN(resets[k]) ? (first[k] > last[k] ? first[k] : 0) : resets[k] > 0 ? 1 : 0;
        }
        return new RollupSeries(l(metric, "s"), CapacityCalculator.HOUR_MS, n, start, firstT, lastT, count, count, first, last, first,
                last, corr, changes, resets);
    }

    @Test
    void windowsWithoutChangesFallBackToTheirFirstAndLastSample() {
        double nan = Double.NaN;
        double[] first = {0, 5, 9};
        double[] last = {5, 5, 2};
        SandboxWindows v3 = new SandboxWindows(3);
        v3.add(series(CapacityCalculator.START, first, last, new double[] {3, 2, 4}, new double[] {0, 0, 0}), T0,
                CapacityCalculator.HOUR_MS);
        assertEquals(3 + 2 + 4 + 1, v3.restarts(), "each window's changes, and the one between windows 1 and 2");
        SandboxWindows v2 = new SandboxWindows(3);
        v2.add(series(CapacityCalculator.START, first, last, new double[] {nan, nan, 4}, new double[] {nan, nan, 0}), T0,
                CapacityCalculator.HOUR_MS);
        assertEquals(1 + 0 + 4 + 1, v2.restarts(), "first != last in window 0, none seen in window 1");
        SandboxWindows up = new SandboxWindows(3);
        up.add(series(CapacityCalculator.UPTIME, new double[] {9, 1, 7}, new double[] {4, 8, 9}, new double[] {nan, 5, nan},
                new double[] {nan, 3, nan}), T0, CapacityCalculator.HOUR_MS);
        assertEquals(1 + (1 + 3) + (1 + 0), up.restarts(),
                "window 0 by its correction; window 1 by its count and the seam into it; window 2 the seam, its correction zero");
    }
}
