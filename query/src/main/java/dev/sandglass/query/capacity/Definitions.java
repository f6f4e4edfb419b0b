package dev.sandglass.query.capacity;

import java.util.LinkedHashMap;
import java.util.Map;

/** How each figure of the report is computed, in words, for the answer itself (keys as in the JSON). */
final class Definitions {
    private Definitions() {
    }

    static String label(long res) {
        return res == CapacityCalculator.HOUR_MS ? "1h" : "5m";
    }

    static Map<String, String> of(long res) {
        String w = res == CapacityCalculator.HOUR_MS ? "1-hour" : "5-minute";
        Map<String, String> d = new LinkedHashMap<>();
        d.put("range", "from the first whole " + w + " window (UTC-aligned) at or after end - range, up to end (excluded)");
        d.put("cpu", "microsandbox_cpu_utilization_ratio, in CPUs (1 = one CPU busy)");
        d.put("sandbox.cpu.peak", "highest sample in the range");
        d.put("sandbox.cpu.p95", "p95 of " + w + " means (linear between nearest ranks, as quantile_over_time)");
        d.put("sandbox.cpu.mean", "mean of every sample in the range");
        d.put("sandbox.memory.peak/p95/mean", "microsandbox_memory_usage_bytes: highest sample; p95 of " + w + " means; mean of every sample");
        d.put("sandbox.memory.limit", "highest microsandbox_memory_limit_bytes sample in the range");
        d.put("sandbox.memory.peakOfLimit", "highest (largest usage sample in a " + w + " window / mean limit in that window)");
        d.put("sandbox.memory.p95OfLimit", "p95 over " + w + " windows of (mean usage / mean limit)");
        d.put("sandbox.memory.meanOfLimit", "mean usage / mean limit over the range");
        d.put("throughput", "disk (microsandbox_disk_bytes_read/_written) and network (microsandbox_network_bytes_received/_sent),"
                + " bytes/s: peak = largest reset-adjusted increase in one " + w + " window (from the last sample before it) / "
                + (res / 1000) + " s; mean = total increase over the range / the range's seconds");
        d.put("restarts", "times microsandbox_sandbox_start_time_seconds changed between consecutive samples, the later one in"
                + " the range (as changes(): every change within each " + w + " window, from its stored count, and between"
                + " windows); for a sandbox without that series, times microsandbox_uptime_seconds went down (as resets());"
                + " windows stored before rollup format 3 have no such count: there a change (reset) is seen only between"
                + " the window's first and last sample, so two restarts within one such window count once");
        d.put("fleet", "per " + w + " window, the sum over running sandboxes of their window means (CPU, memory, limit) and"
                + " bytes; peak = largest window sum, p95 and mean over every window of the range (none running = 0);"
                + " ofLimit figures use only sandboxes with a limit; restarts = sum over sandboxes");
        d.put("running", "sandboxes with a CPU or memory sample in the window; peak and mean over the range's windows");
        d.put("top", "the " + CapacityCalculator.TOP + " sandboxes with the highest memory peakOfLimit, and with the highest cpu peak");
        return d;
    }
}
