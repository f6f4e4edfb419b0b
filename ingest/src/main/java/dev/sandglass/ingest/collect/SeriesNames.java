package dev.sandglass.ingest.collect;

import dev.sandglass.ingest.registry.Layout;
import dev.sandglass.ingest.registry.SlotSnapshot;

/**
 * The series a registry slot becomes, named as Prometheus names msb-metrics' OTLP output (spec,
 * last section), plus the fields msb-metrics does not ship, named by the same rules. One row per
 * series: name, the sample_flags bit it needs (0: always present), and how to read its value.
 */
public enum SeriesNames {
    CPU("microsandbox_cpu_utilization_ratio", Layout.F_CPU, s -> s.cpuPercent / 100.0),
    VCPU_TIME("microsandbox_vcpu_time_seconds", Layout.F_CPU, s -> s.vcpuTimeNs / 1e9),
    MEMORY_USAGE("microsandbox_memory_usage_bytes", Layout.F_MEMORY_USED, s -> s.memoryBytes),
    MEMORY_LIMIT("microsandbox_memory_limit_bytes", 0, s -> s.memoryLimit),
    MEMORY_AVAILABLE("microsandbox_memory_available_bytes", Layout.F_MEMORY_AVAILABLE, s -> s.memoryAvailable),
    MEMORY_HOST_RESIDENT("microsandbox_memory_host_resident_bytes", Layout.F_MEMORY_HOST_RESIDENT, s -> s.memoryHostResident),
    DISK_READ("microsandbox_disk_bytes_read", 0, s -> s.diskRead),
    DISK_WRITTEN("microsandbox_disk_bytes_written", 0, s -> s.diskWrite),
    NET_RECEIVED("microsandbox_network_bytes_received", 0, s -> s.netRx),
    NET_SENT("microsandbox_network_bytes_sent", 0, s -> s.netTx),
    UPPER_USED("microsandbox_upper_used_bytes", Layout.F_UPPER_USED, s -> s.upperUsed),
    UPPER_FREE("microsandbox_upper_free_bytes", Layout.F_UPPER_FREE, s -> s.upperFree),
    UPPER_HOST_ALLOCATED("microsandbox_upper_host_allocated_bytes", Layout.F_UPPER_HOST_ALLOCATED, s -> s.upperHostAllocated),
    UPTIME("microsandbox_uptime_seconds", 0, s -> (s.sampledAt - s.startedAt) / 1000.0),
    START_TIME("microsandbox_sandbox_start_time_seconds", 0, s -> s.startedAt / 1000.0);

    /** Info series recording the run: labels run_id and pid, value 1. */
    public static final String RUN_INFO = "microsandbox_sandbox_run_info";

    private final String metric;
    private final int flag;
    private final java.util.function.ToDoubleFunction<SlotSnapshot> value;

    SeriesNames(String metric, int flag, java.util.function.ToDoubleFunction<SlotSnapshot> value) {
        this.metric = metric;
        this.flag = flag;
        this.value = value;
    }

    public String metric() {
        return metric;
    }

    boolean present(SlotSnapshot s) {
        return flag == 0 || s.has(flag);
    }

    double value(SlotSnapshot s) {
        return value.applyAsDouble(s);
    }
}
