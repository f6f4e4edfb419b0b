package dev.sandglass.query.capacity;

import dev.sandglass.query.sandbox.VmmInstances;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.api.RollupSeries;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes the {@link CapacityReport} from the store's rollup windows (which cover raw samples not
 * rolled up yet too: see Querier.selectRollups), one pass over the windows of the nine metrics
 * involved, grouped by sandbox_name, VMM instances included by their instance name (see
 * VmmInstances). Knows nothing of HTTP; the API and the command call it.
 */
public final class CapacityCalculator {
    static final String CPU = "microsandbox_cpu_utilization_ratio";
    static final String MEMORY = "microsandbox_memory_usage_bytes";
    static final String LIMIT = "microsandbox_memory_limit_bytes";
    static final String DISK_READ = "microsandbox_disk_bytes_read";
    static final String DISK_WRITE = "microsandbox_disk_bytes_written";
    static final String NET_RX = "microsandbox_network_bytes_received";
    static final String NET_TX = "microsandbox_network_bytes_sent";
    static final String START = "microsandbox_sandbox_start_time_seconds";
    static final String UPTIME = "microsandbox_uptime_seconds";
    static final String SANDBOX = "sandbox_name";
    public static final long FIVE_MINUTES_MS = 5 * 60_000L;
    public static final long HOUR_MS = 3_600_000L;
    static final int TOP = 10;

    private CapacityCalculator() {
    }

    /** 5-minute windows up to 7 days, 1-hour windows beyond. */
    public static long defaultResolution(long rangeMs) {
        return rangeMs <= 7 * 24 * HOUR_MS ? FIVE_MINUTES_MS : HOUR_MS;
    }

    /**
     * The report over [end - range, end) at {@code resolutionMs} (5 minutes or 1 hour), for every
     * sandbox or only {@code sandbox} (null for all). The range starts at the first whole window.
     */
    public static CapacityReport compute(Queryable store, long endMs, long rangeMs, long resolutionMs, String sandbox) {
        if (resolutionMs != FIVE_MINUTES_MS && resolutionMs != HOUR_MS) {
            throw new IllegalArgumentException("resolution must be 5m or 1h, got " + resolutionMs + "ms");
        }
        if (rangeMs <= 0) {
            throw new IllegalArgumentException("range must be positive, got " + rangeMs + "ms");
        }
        long first = Math.floorDiv(endMs - rangeMs + resolutionMs - 1, resolutionMs) * resolutionMs;
        // Windows starting in [first, end): the last may be partial (end inside it).
        int windows = (int) Math.max(0, Math.floorDiv(endMs - first + resolutionMs - 1, resolutionMs));
        List<Matcher> matchers = new ArrayList<>();
        matchers.add(new Matcher(Matcher.Type.RE, "__name__", String.join("|", CPU, MEMORY, LIMIT, DISK_READ, DISK_WRITE, NET_RX, NET_TX, START, UPTIME)));
        matchers.add(sandbox == null ? new Matcher(Matcher.Type.RE, SANDBOX, ".+") : Matcher.eq(SANDBOX, sandbox));
        Map<String, SandboxWindows> bySandbox = new TreeMap<>();
        // VMM instances of the /proc source are reported next to the sandboxes (a read layer, no copy).
        try (Querier q = VmmInstances.over(store).querier(first - resolutionMs, endMs)) {
            // The window before the range too: counters need it for the increase into the first window.
            for (RollupSeries r : q.selectRollups(matchers, resolutionMs, first - resolutionMs, endMs)) {
                bySandbox.computeIfAbsent(r.labels().get(SANDBOX), k -> new SandboxWindows(windows)).add(r, first, resolutionMs);
            }
        }
        double seconds = Math.max(1, endMs - first) / 1000.0;
        Fleet fleet = new Fleet(windows);
        List<CapacityReport.Sandbox> out = new ArrayList<>();
        for (var e : bySandbox.entrySet()) {
            out.add(new CapacityReport.Sandbox(e.getKey(), e.getValue().figures(resolutionMs, seconds)));
            fleet.add(e.getValue());
        }
        long[] starts = new long[windows];
        for (int w = 0; w < windows; w++) {
            starts[w] = first + w * resolutionMs;
        }
        return new CapacityReport(first, endMs, resolutionMs, source(resolutionMs), Definitions.of(resolutionMs),
                fleet.figures(resolutionMs, seconds, out), fleet.running(starts),
                out, top(out, f -> f.memoryPeakOfLimit()), top(out, f -> f.cpuPeak()));
    }

    private static String source(long res) {
        return "rollups at " + Definitions.label(res) + ": the stored windows, and for samples not rolled up yet (the last"
                + " minutes, not sealed) windows computed the same way from the raw samples";
    }

    private static List<CapacityReport.Ranked> top(List<CapacityReport.Sandbox> all, java.util.function.ToDoubleFunction<CapacityReport.Figures> by) {
        List<CapacityReport.Ranked> r = new ArrayList<>();
        for (CapacityReport.Sandbox s : all) {
            double v = by.applyAsDouble(s.figures());
            if (!Double.isNaN(v)) {
                r.add(new CapacityReport.Ranked(s.name(), v));
            }
        }
        r.sort(Comparator.comparingDouble(CapacityReport.Ranked::value).reversed().thenComparing(CapacityReport.Ranked::sandbox));
        return r.size() > TOP ? List.copyOf(r.subList(0, TOP)) : r;
    }
}
