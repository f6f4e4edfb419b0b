package dev.sandglass.query.capacity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.sandbox.VmmInstances;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.RollupSeries;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VMM instances of the /proc source in the capacity report, from rollups alone: two hours written
 * as an import writes them, and a sample a day later, into a store that keeps raw samples for one
 * hour, so no raw sample of the two hours is left. vm-1 is a VMM (restarted at the hour, as a new pid);
 * ref-1 a microsandbox sandbox with the very samples vm-1 has, under the sandbox names, so vm-1's
 * figures must be ref-1's. sbx-a is a sandbox, and a VMM instance is named sbx-a too: one row, the
 * sandbox's own series first, the VMM's only for what the sandbox lacks (here transmitted bytes).
 */
class VmmCapacityTest {
    private static final long MIB = 1 << 20;
    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_760_000_000_000L / HOUR * HOUR;
    private static final long STEP = 10_000;
    private static final int N = (int) (2 * HOUR / STEP);

    @TempDir
    Path dir;

    private static void series(BulkAppender b, Labels labels, LongToDoubleFunction value) {
        long[] t = new long[N];
        double[] v = new double[N];
        for (int i = 0; i < N; i++) {
            t[i] = T0 + 1_234 + i * STEP;
            v[i] = value.applyAsDouble(t[i]);
        }
        b.appendAll(b.seriesRef(labels), t, v, N);
    }

    private static Labels vmm(String metric, String name, String... more) {
        Labels.Builder l = Labels.of("__name__", metric, "instance_name", name, "job", "vmm", "instance", "h").builder();
        for (int i = 0; i < more.length; i += 2) {
            l.set(more[i], more[i + 1]);
        }
        return l.build();
    }

    private static Labels sandbox(String metric, String name) {
        return Labels.of("__name__", metric, "sandbox_name", name, "job", "microsandbox", "instance", "h");
    }

    private static double startOfVm1(long t) {
        return t < T0 + HOUR ? T0 / 1000.0 - 50 : (T0 + HOUR) / 1000.0;
    }

    private static void write(Db db) {
        try (BulkAppender b = db.bulkAppender()) {
            series(b, vmm("vmm_memory_rss_bytes", "vm-1"), t -> t < T0 + HOUR ? 200 * MIB : 300 * MIB);
            series(b, vmm("vmm_allocated_memory_bytes", "vm-1"), t -> 512 * MIB);
            series(b, vmm("vmm_network_receive_bytes_total", "vm-1"), t -> 3 * (t - T0));
            series(b, vmm("vmm_start_time_seconds", "vm-1"), VmmCapacityTest::startOfVm1);
            series(b, vmm("vmm_uptime_seconds", "vm-1"), t -> t / 1000.0 - startOfVm1(t));
            series(b, sandbox(CapacityCalculator.MEMORY, "ref-1"), t -> t < T0 + HOUR ? 200 * MIB : 300 * MIB);
            series(b, sandbox(CapacityCalculator.LIMIT, "ref-1"), t -> 512 * MIB);
            series(b, sandbox(CapacityCalculator.NET_RX, "ref-1"), t -> 3 * (t - T0));
            series(b, sandbox(CapacityCalculator.START, "ref-1"), VmmCapacityTest::startOfVm1);
            series(b, sandbox(CapacityCalculator.UPTIME, "ref-1"), t -> t / 1000.0 - startOfVm1(t));

            series(b, sandbox(CapacityCalculator.CPU, "sbx-a"), t -> 0.5);
            series(b, sandbox(CapacityCalculator.MEMORY, "sbx-a"), t -> 100 * MIB);
            series(b, sandbox(CapacityCalculator.LIMIT, "sbx-a"), t -> 1024 * MIB);
            series(b, sandbox(CapacityCalculator.NET_RX, "sbx-a"), t -> t - T0);
            series(b, sandbox(CapacityCalculator.START, "sbx-a"), t -> T0 / 1000.0 - 100);
            series(b, vmm("vmm_memory_rss_bytes", "sbx-a"), t -> 999 * MIB);
            series(b, vmm("vmm_network_receive_bytes_total", "sbx-a"), t -> 7 * (t - T0));
            series(b, vmm("vmm_network_transmit_bytes_total", "sbx-a"), t -> 0.5 * (t - T0));
            series(b, vmm("vmm_start_time_seconds", "sbx-a"), t -> T0 / 1000.0 - 77);
            // A day later, so raw retention (one hour back from the newest sample) keeps none of the above.
            b.appendAll(b.seriesRef(Labels.of("__name__", "later")), new long[] {T0 + 26 * HOUR}, new double[] {1}, 1);
            b.finish();
        }
    }

    @Test
    void vmmInstancesAreInTheCapacityReportPastRawRetention() {
        try (Db db = Db.open(DbOptions.defaults(dir).withRetention(HOUR, 0))) {
            write(db);
            try (Querier q = db.querier(T0, T0 + 2 * HOUR)) {
                assertTrue(q.select(List.of(Matcher.eq("instance_name", "vm-1"))).isEmpty(), "no raw sample is left");
                assertTrue(q.rawStartMs() > T0 + 2 * HOUR, "raw samples start after the range: " + q.rawStartMs());
            }
            try (Querier q = db.querier(T0, T0 + 2 * HOUR); Querier view = VmmInstances.over(db).querier(T0, T0 + 2 * HOUR)) {
                assertEquals(q.rawStartMs(), view.rawStartMs(), "the store's raw start, not the default (raw covers all)");
                List<RollupSeries> stored = q.selectRollups(List.of(Matcher.eq("__name__", "vmm_memory_rss_bytes"),
                        Matcher.eq("instance_name", "vm-1")), HOUR, T0, T0 + 2 * HOUR);
                List<RollupSeries> shown = view.selectRollups(List.of(Matcher.eq("__name__", CapacityCalculator.MEMORY),
                        Matcher.eq("sandbox_name", "vm-1")), HOUR, T0, T0 + 2 * HOUR);
                assertEquals(1, shown.size());
                assertEquals(Labels.of("__name__", CapacityCalculator.MEMORY, "sandbox_name", "vm-1", "job", "vmm", "instance", "h"),
                        shown.get(0).labels(), "renamed as the raw series are");
                assertEquals(2, shown.get(0).size());
                assertArrayEquals(java.util.Arrays.copyOf(stored.get(0).max(), 2), java.util.Arrays.copyOf(shown.get(0).max(), 2));
                assertEquals(300 * MIB, shown.get(0).max()[1]);
                assertArrayEquals(java.util.Arrays.copyOf(stored.get(0).count(), 2), java.util.Arrays.copyOf(shown.get(0).count(), 2));
            }
            for (long res : new long[] {CapacityCalculator.FIVE_MINUTES_MS, CapacityCalculator.HOUR_MS}) {
                CapacityReport r = CapacityCalculator.compute(db, T0 + 2 * HOUR, 2 * HOUR, res, null);
                assertEquals(List.of("ref-1", "sbx-a", "vm-1"), r.sandboxes().stream().map(CapacityReport.Sandbox::name).toList(),
                        "at " + res + " ms: one row for the sandbox and the VMM both named sbx-a");
                CapacityReport.Figures ref = r.sandboxes().get(0).figures();
                CapacityReport.Figures vm = r.sandboxes().get(2).figures();
                assertEquals(ref, vm, "the VMM's figures are those of a sandbox with its samples, at " + res + " ms");
                assertEquals(300 * MIB, vm.memoryPeak());
                assertEquals(250 * MIB, vm.memoryMean(), 1e-6);
                assertEquals(512 * MIB, vm.memoryLimit());
                assertEquals(300.0 / 512, vm.memoryPeakOfLimit(), 1e-12);
                assertEquals(3.0 * (N - 1) * STEP / 7200, vm.networkReceiveMean(), 1e-9, "3,000 B/s from the first sample to the last");
                assertEquals(1, vm.restarts(), "the new pid at the hour");
                assertTrue(Double.isNaN(vm.cpuPeak()), "CPU utilisation is not measured from /proc");
                assertTrue(Double.isNaN(vm.diskReadPeak()) && Double.isNaN(vm.diskWriteMean()), "nor disk: unknown, not 0");
                assertTrue(Double.isNaN(vm.networkTransmitMean()), "no transmit series (no tap= given, say): unknown");
                assertTrue(Double.isNaN(r.fleet().diskReadPeak()), "no sandbox measures disk");

                CapacityReport.Figures a = r.sandboxes().get(1).figures();
                assertEquals(100 * MIB, a.memoryPeak(), "the sandbox's own memory, not the VMM's RSS");
                assertEquals(100.0 / 1024, a.memoryPeakOfLimit(), 1e-12);
                assertEquals(1.0 * (N - 1) * STEP / 7200, a.networkReceiveMean(), 1e-9, "the sandbox's own received bytes");
                assertEquals(0.5 * (N - 1) * STEP / 7200, a.networkTransmitMean(), 1e-9,
                        "transmitted bytes, which only the VMM measures");
                assertEquals(0, a.restarts(), "the two start times are not taken for restarts");
                assertEquals(0.5, a.cpuPeak());
                assertEquals(3.0, r.running().peak(), "ref-1, sbx-a and vm-1");
            }
            CapacityReport one = CapacityCalculator.compute(db, T0 + 2 * HOUR, 2 * HOUR, CapacityCalculator.HOUR_MS, "vm-1");
            assertEquals(List.of("vm-1"), one.sandboxes().stream().map(CapacityReport.Sandbox::name).toList(), "a VMM asked for by name");
            assertEquals(300 * MIB, one.fleet().memoryPeak());
        }
    }
}
