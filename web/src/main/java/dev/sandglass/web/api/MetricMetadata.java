package dev.sandglass.web.api;

import java.util.Map;

/**
 * Type, help and unit of the metric families Sandglass itself produces. Everything else is
 * reported with type "unknown", as Prometheus does for series it has no metadata for.
 */
final class MetricMetadata {
    record Meta(String type, String help, String unit) {
    }

    private static final Map<String, Meta> KNOWN = Map.ofEntries(
            Map.entry("microsandbox_cpu_utilization_ratio", new Meta("gauge", "CPU utilization of the sandbox, summed over vCPUs (1 = one vCPU busy)", "ratio")),
            Map.entry("microsandbox_memory_usage_bytes", new Meta("gauge", "Guest memory in use", "bytes")),
            Map.entry("microsandbox_memory_limit_bytes", new Meta("gauge", "Memory limit of the sandbox", "bytes")),
            Map.entry("microsandbox_memory_available_bytes", new Meta("gauge", "Guest memory available", "bytes")),
            Map.entry("microsandbox_memory_host_resident_bytes", new Meta("gauge", "Host resident memory of the sandbox's VMM", "bytes")),
            Map.entry("microsandbox_vcpu_time_seconds", new Meta("gauge", "Cumulative vCPU time over all vCPUs (resets on restart)", "seconds")),
            Map.entry("microsandbox_disk_bytes_read", new Meta("gauge", "Cumulative bytes read from disk (resets on restart)", "bytes")),
            Map.entry("microsandbox_disk_bytes_written", new Meta("gauge", "Cumulative bytes written to disk (resets on restart)", "bytes")),
            Map.entry("microsandbox_network_bytes_received", new Meta("gauge", "Cumulative bytes received by the guest (resets on restart)", "bytes")),
            Map.entry("microsandbox_network_bytes_sent", new Meta("gauge", "Cumulative bytes sent by the guest (resets on restart)", "bytes")),
            Map.entry("microsandbox_upper_used_bytes", new Meta("gauge", "Bytes used in the sandbox's writable upper layer", "bytes")),
            Map.entry("microsandbox_upper_free_bytes", new Meta("gauge", "Bytes free in the sandbox's writable upper layer", "bytes")),
            Map.entry("microsandbox_upper_host_allocated_bytes", new Meta("gauge", "Host bytes allocated for the writable upper layer", "bytes")),
            Map.entry("microsandbox_uptime_seconds", new Meta("gauge", "Seconds since the sandbox's current run started", "seconds")),
            Map.entry("microsandbox_sandbox_run_info", new Meta("info", "The current run of a sandbox (run_id, pid); a new run_id is a restart", "")),
            Map.entry("microsandbox_sandbox_start_time_seconds", new Meta("gauge", "Unix time the sandbox's current run started", "seconds")),
            Map.entry("sandglass_ingest_collections_total", new Meta("counter", "Registry collections attempted", "")),
            Map.entry("sandglass_ingest_samples_total", new Meta("counter", "Samples stored by the collect loop", "")),
            Map.entry("sandglass_ingest_failures_total", new Meta("counter", "Collections that failed", "")),
            Map.entry("sandglass_ingest_last_success_timestamp_seconds", new Meta("gauge", "Unix time of the last successful collection", "seconds")),
            Map.entry("sandglass_ingest_collection_duration_seconds", new Meta("summary", "Time to read the registry and make the snapshot durable", "seconds")));

    private MetricMetadata() {
    }

    static Meta of(String metric) {
        Meta m = KNOWN.get(metric);
        if (m != null) {
            return m;
        }
        for (String suffix : new String[] {"_sum", "_count"}) {
            if (metric.endsWith(suffix)) {
                Meta base = KNOWN.get(metric.substring(0, metric.length() - suffix.length()));
                if (base != null) {
                    return base;
                }
            }
        }
        return new Meta("unknown", "", "");
    }
}
