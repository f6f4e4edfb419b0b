package dev.sandglass.query.instances;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import java.util.List;

/**
 * One VMM instance's latest values as Hypeman reports them, read from the store (the vmm_* series
 * the /proc source writes): each value is the series' last sample within the lookback, none when
 * that sample is a staleness marker (the process exited). Unknown values are null; the memory
 * utilisation ratio only exists when allocated memory was given.
 */
public record InstanceStats(String instanceId, String instanceName, Double cpuSeconds, Double memoryRssBytes, Double memoryVmsBytes,
                            Double networkRxBytes, Double networkTxBytes, Double allocatedVcpus, Double allocatedMemoryBytes,
                            Double memoryUtilizationRatio, long timestampMs) {
    public static final long LOOKBACK_MS = 5 * 60_000L;

    /** The instance's stats at {@code nowMs}, or null when no live instance of that name is in the store. */
    public static InstanceStats latest(Queryable store, String name, long nowMs) {
        try (Querier q = store.querier(nowMs - LOOKBACK_MS, nowMs)) {
            List<Series> all = q.select(List.of(Matcher.eq("job", "vmm"), Matcher.eq("instance_name", name)));
            Double[] v = new Double[8];
            String[] metrics = {"vmm_cpu_seconds_total", "vmm_memory_rss_bytes", "vmm_memory_vms_bytes", "vmm_network_receive_bytes_total",
                "vmm_network_transmit_bytes_total", "vmm_allocated_vcpus", "vmm_allocated_memory_bytes", "vmm_memory_utilization_ratio"};
            String id = null;
            long infoT = Long.MIN_VALUE;
            long ts = Long.MIN_VALUE;
            for (Series s : all) {
                Samples x = s.samples();
                if (x.size() == 0 || Values.isStaleNaN(x.value(x.size() - 1))) {
                    continue;
                }
                long t = x.timestamp(x.size() - 1);
                Labels l = s.labels();
                if (l.metricName().equals("vmm_instance_info")) {
                    if (t > infoT) {
                        infoT = t;
                        id = l.get("instance_id");
                    }
                    continue;
                }
                for (int k = 0; k < metrics.length; k++) {
                    if (metrics[k].equals(l.metricName())) {
                        v[k] = x.value(x.size() - 1);
                        ts = Math.max(ts, t);
                    }
                }
            }
            if (v[0] == null) {
                return null;
            }
            return new InstanceStats(id, name, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[6] == null ? null : v[7], ts);
        }
    }

    /** Instance names with live series at {@code nowMs}. */
    public static List<String> names(Queryable store, long nowMs) {
        try (Querier q = store.querier(nowMs - LOOKBACK_MS, nowMs)) {
            return q.labelValues("instance_name", List.of(Matcher.eq("__name__", "vmm_cpu_seconds_total"), Matcher.eq("job", "vmm")));
        }
    }
}
