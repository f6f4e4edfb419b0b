package dev.sandglass.web.api;

import dev.sandglass.query.capacity.CapacityCalculator;
import dev.sandglass.query.capacity.CapacityReport;
import dev.sandglass.storage.api.Queryable;
import java.util.function.BooleanSupplier;

/**
 * The capacity report's part of the start-up warm-up: writes a capacity-shaped history into the
 * warm-up's synthetic store (never the user's data), then computes the report and its JSON at
 * both resolutions, whole fleet and one sandbox, until its rounds stop getting faster. Without it
 * the first report on a fresh server ran interpreted and compiled on the user's request: on 30
 * days of 100 sandboxes 2.3-2.7 s wall and 1.2-1.3 s of CPU against 0.2-0.5 s of CPU later; with
 * it 0.7-1.5 s wall and 0.4-0.65 s of CPU (CapacityFirstCalls, load average 9-15), for 1.5-3 s
 * more CPU of the warm-up thread at start (background, lowest priority).
 */
final class CapacityWarmup {
    /** Rounds at most; each is four reports over the synthetic fleet (a few ms once compiled). */
    static final int MAX_ROUNDS = 400;
    /** The rounds' CPU on the warm-up thread at most: the capacity report is not on the usual query path. */
    static final long CPU_NANOS = Long.getLong("sandglass.warmup.capacityCpuMillis", 300) * 1_000_000L;
    /** Rounds before the level is looked for; 10 and 50 measured alike for the first real report. */
    static final int MIN_ROUNDS = 10;

    private CapacityWarmup() {
    }

    /** Days of capacity-shaped history {@link #fill} writes; minutes between its samples. */
    static final int DAYS = 1;
    static final int STEP_MINUTES = 1;
    /** Imports it is written in: a real store's rollups come in many excerpts, read one after another. */
    static final int IMPORTS = 8;

    /**
     * Writes {@code sandboxes} sandboxes' capacity metrics over {@link #DAYS} days ending at
     * {@code endMs}, as a real store holds them and unlike the engine's one-hour fleet: the start
     * time metric (restarts counted from it), counters that reset, and rollups in several
     * excerpts per resolution. Without these the first real report met code paths the warm-up
     * never took, and its compiled code was thrown away during it (JIT 1.4-2.7 s in that call;
     * the warm-up on the engine's fleet alone left 0.64-0.86 s of CPU in the first call).
     */
    static void fill(dev.sandglass.storage.api.Storage db, long endMs, int sandboxes) {
        String[] metrics = {"microsandbox_cpu_utilization_ratio", "microsandbox_memory_usage_bytes", "microsandbox_memory_limit_bytes",
            "microsandbox_uptime_seconds", "microsandbox_sandbox_start_time_seconds", "microsandbox_disk_bytes_read",
            "microsandbox_disk_bytes_written", "microsandbox_network_bytes_received", "microsandbox_network_bytes_sent"};
        long step = STEP_MINUTES * 60_000L;
        int n = DAYS * 24 * 60 / STEP_MINUTES;
        long start = (endMs - (long) n * step) / 60_000 * 60_000;
        java.util.Random rnd = new java.util.Random(7);
        double[][][] v = new double[sandboxes][metrics.length][n];
        for (int s = 0; s < sandboxes; s++) {
            double limit = (256L << 20) * (1 + rnd.nextInt(8));
            double cpu = 0;
            double mem = limit * 0.3;
            double up = 0;
            double started = start / 1000.0;
            double[] c = new double[4];
            for (int i = 0; i < n; i++) {
                if (rnd.nextInt(n / 2) == 0) { // now and then a restart: counters and uptime from zero
                    java.util.Arrays.fill(c, 0);
                    up = 0;
                    started = (start + i * step) / 1000.0;
                }
                cpu = Math.max(0, Math.min(2, cpu + (rnd.nextDouble() - 0.5) * 0.1));
                mem = Math.max(limit * 0.05, Math.min(limit * 0.98, mem + (rnd.nextDouble() - 0.5) * limit * 0.01));
                up += step / 1000.0;
                double[] row = {Math.round(cpu * 10_000) / 10_000.0, Math.floor(mem / 4096) * 4096, limit, up, started,
                    c[0] += rnd.nextInt(4) == 0 ? 4096.0 * rnd.nextInt(64) : 0, c[1] += 4096.0 * rnd.nextInt(16),
                    c[2] += rnd.nextInt(20_000), c[3] += rnd.nextInt(9_000)};
                for (int m = 0; m < metrics.length; m++) {
                    v[s][m][i] = row[m];
                }
            }
        }
        for (int part = 0; part < IMPORTS; part++) {
            int from = part * n / IMPORTS;
            int to = (part + 1) * n / IMPORTS;
            long[] t = new long[to - from];
            for (int i = from; i < to; i++) {
                t[i - from] = start + i * step + rnd.nextInt(1000);
            }
            try (dev.sandglass.storage.api.BulkAppender b = db.bulkAppender()) {
                for (int s = 0; s < sandboxes; s++) {
                    for (int m = 0; m < metrics.length; m++) {
                        long ref = b.seriesRef(dev.sandglass.storage.api.Labels.of("__name__", metrics[m], "sandbox_name", "capacity-" + s));
                        b.appendAll(ref, t.clone(), java.util.Arrays.copyOfRange(v[s][m], from, to), to - from);
                    }
                }
                b.finish();
            }
        }
    }

    /**
     * Runs on this thread; returns the reports computed (four a round) over [endMs - rangeMs, endMs).
     * Throws when a report finds no data: it would warm nothing.
     */
    static int run(Queryable store, long endMs, long rangeMs, String oneSandbox, BooleanSupplier stop) {
        WarmupConvergence converged = new WarmupConvergence(CPU_NANOS);
        int n = 0;
        long[] resolutions = {CapacityCalculator.FIVE_MINUTES_MS, CapacityCalculator.HOUR_MS};
        for (int round = 0; round < MAX_ROUNDS && !stop.getAsBoolean(); round++) {
            long t0 = System.nanoTime();
            for (long res : resolutions) {
                for (String sandbox : new String[] {null, oneSandbox}) {
                    CapacityReport r = CapacityCalculator.compute(store, endMs, rangeMs, res, sandbox);
                    if (r.sandboxes().isEmpty() || Double.isNaN(r.fleet().memoryPeakOfLimit()) || Double.isNaN(r.fleet().diskReadPeak())) {
                        // A renamed metric or a changed fleet would warm nothing: say so rather than pretend.
                        throw new IllegalStateException("the warm-up's capacity report found no data (sandbox " + sandbox + ", resolution "
                                + res + " ms)");
                    }
                    CapacityJson.write(r, new JsonWriter(new StringBuilder(1 << 14)));
                    n++;
                }
            }
            // Enough rounds for the decoding loops to be compiled, then until the rounds stop getting faster.
            if (round >= MIN_ROUNDS && converged.afterRound(System.nanoTime() - t0)) {
                break;
            }
        }
        return n;
    }
}
