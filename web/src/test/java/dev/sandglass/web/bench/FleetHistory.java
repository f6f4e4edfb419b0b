package dev.sandglass.web.bench;

import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes a fleet's history at 1 s straight through the storage API (bulk appender, two hours at a
 * time, each sealed with its rollups): per sandbox CPU, memory and its limit, disk and network
 * counters, uptime and start time, with restarts (counters from zero, a new start time); and the
 * registry's other seven series (vCPU seconds, available and host-resident memory, the upper
 * layer's three figures, run info), so a sandbox has the collector's 16 series. sbx-000 also
 * crash-loops once: five restarts within 18 minutes of one hour, from a minute past the hour
 * starting 25 hours before the end (two of them within one 5-minute window), so the capacity
 * report's restarts are checked against PromQL's changes() where a window holds several.
 * Usage: FleetHistory DIR DAYS SANDBOXES RAW_RETENTION_DAYS END_UNIX_S [CHUNK_MINUTES]
 * (CHUNK_MINUTES 10 writes as a live server's seals do: one excerpt per resolution every 10 minutes).
 */
public final class FleetHistory {
    static final String[] OTHERS = {"microsandbox_vcpu_time_seconds", "microsandbox_memory_available_bytes",
            "microsandbox_memory_host_resident_bytes", "microsandbox_upper_used_bytes", "microsandbox_upper_free_bytes",
            "microsandbox_upper_host_allocated_bytes", "microsandbox_sandbox_run_info"};
    static final String[] COUNTERS = {"microsandbox_disk_bytes_read", "microsandbox_disk_bytes_written",
            "microsandbox_network_bytes_received", "microsandbox_network_bytes_sent"};

    public static void main(String[] args) {
        System.setProperty("chronicle.analytics.disable", "true");
        Path dir = Path.of(args[0]);
        double days = Double.parseDouble(args[1]);
        int sandboxes = Integer.parseInt(args[2]);
        long retentionMs = (long) (Double.parseDouble(args[3]) * 86_400_000L);
        long end = Long.parseLong(args[4]) * 1000;
        long start = end - (long) (days * 86_400_000L);
        long chunkMs = (args.length > 5 ? Long.parseLong(args[5]) : 120) * 60_000L;
        long t0 = System.nanoTime();
        long samples = 0;
        try (Db db = Db.open(DbOptions.defaults(dir).withRetention(retentionMs, 0))) {
            Sandbox[] fleet = new Sandbox[sandboxes];
            for (int i = 0; i < sandboxes; i++) {
                fleet[i] = new Sandbox(i, start, end);
            }
            for (long from = start; from < end; from += chunkMs) {
                long to = Math.min(end, from + chunkMs);
                try (BulkAppender b = db.bulkAppender()) {
                    for (Sandbox s : fleet) {
                        samples += s.write(b, from, to);
                    }
                    b.finish();
                }
            }
            // What the server's storage job does for days that are over (10-minute chunks leave 288 excerpts a day).
            db.compactRollups();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        // CPU too: on a shared machine the wall time is mostly other processes' load.
        double cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        System.out.printf("generated and sealed %,d samples (%d sandboxes x %.1f days at 1 s) in %.1f s (%,.0f samples/s); %.1f s of CPU (%,.0f samples per CPU-second)%n",
                samples, sandboxes, days, secs, samples / secs, cpu, samples / cpu);
    }

    /** One sandbox's state, carried from chunk to chunk. */
    static final class Sandbox {
        final String name;
        final Random rnd;
        final double limit;
        final double vcpus;
        double cpu;
        double mem;
        final double[] counters = new double[COUNTERS.length];
        double startTime;
        double uptime;
        double vcpuSeconds;
        double upperUsed;
        /** sbx-000's crash loop: restarts this many seconds after {@link #loopFrom}; none for the others. */
        static final long[] LOOP_S = {0, 120, 330, 720, 1080};
        final long loopFrom;

        Sandbox(int i, long start, long end) {
            loopFrom = i == 0 ? Math.floorDiv(end, 3_600_000L) * 3_600_000L - 25 * 3_600_000L + 60_000 : Long.MAX_VALUE;
            name = String.format("sbx-%03d", i);
            rnd = new Random(i * 7919L + 1);
            limit = (256L << 20) * (1 + rnd.nextInt(8));
            vcpus = 1 + rnd.nextInt(4);
            mem = limit * 0.3;
            startTime = start / 1000.0;
        }

        private Labels labels(String metric) {
            return Labels.of("__name__", metric, "sandbox_name", name, "job", "microsandbox");
        }

        long write(BulkAppender b, long from, long to) {
            int n = (int) ((to - from) / 1000);
            long[] t = new long[n];
            double[][] v = new double[5 + COUNTERS.length + OTHERS.length][n];
            for (int k = 0; k < n; k++) {
                t[k] = from + k * 1000L + rnd.nextInt(5);
                boolean random = rnd.nextInt(400_000) == 0;
                if (random || (t[k] >= loopFrom && java.util.Arrays.binarySearch(LOOP_S, (t[k] - loopFrom) / 1000) >= 0)) {
                    // A restart: counters and uptime from zero, a new start time.
                    java.util.Arrays.fill(counters, 0);
                    uptime = 0;
                    startTime = t[k] / 1000.0;
                    mem = limit * 0.2;
                    vcpuSeconds = 0;
                }
                cpu = Math.max(0, Math.min(vcpus, cpu + (rnd.nextDouble() - 0.5) * 0.05 * vcpus));
                mem = Math.max(limit * 0.05, Math.min(limit * 0.98, mem + (rnd.nextDouble() - 0.5) * limit * 0.004));
                uptime += 1;
                for (int c = 0; c < counters.length; c++) {
                    counters[c] += rnd.nextInt(1 << (10 + c));
                }
                v[0][k] = Math.round(cpu * 10_000) / 10_000.0;
                v[1][k] = Math.floor(mem / 4096) * 4096;
                v[2][k] = limit;
                v[3][k] = uptime;
                v[4][k] = startTime;
                for (int c = 0; c < counters.length; c++) {
                    v[5 + c][k] = counters[c];
                }
                vcpuSeconds += cpu;
                upperUsed = Math.min(4e9, upperUsed + rnd.nextInt(4096));
                int o = 5 + COUNTERS.length;
                v[o][k] = Math.round(vcpuSeconds * 1e6) / 1e6;
                v[o + 1][k] = limit - v[1][k];
                v[o + 2][k] = v[1][k] + (24 << 20);
                v[o + 3][k] = upperUsed;
                v[o + 4][k] = 4e9 - upperUsed;
                v[o + 5][k] = upperUsed + (16 << 20);
                v[o + 6][k] = 1;
            }
            String[] names = {"microsandbox_cpu_utilization_ratio", "microsandbox_memory_usage_bytes",
                    "microsandbox_memory_limit_bytes", "microsandbox_uptime_seconds", "microsandbox_sandbox_start_time_seconds"};
            for (int s = 0; s < v.length; s++) {
                String metric = s < names.length ? names[s]
                        : s < names.length + COUNTERS.length ? COUNTERS[s - names.length] : OTHERS[s - names.length - COUNTERS.length];
                b.appendAll(b.seriesRef(labels(metric)), s == 0 ? t : t.clone(), v[s], n);
            }
            return (long) n * v.length;
        }
    }
}
