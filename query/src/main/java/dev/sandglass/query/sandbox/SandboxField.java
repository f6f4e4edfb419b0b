package dev.sandglass.query.sandbox;

/**
 * The fields of a sandbox point, named as the microsandbox SDKs name them, each read from the
 * series the collector stores (ingest's SeriesNames; the names are the stored data's contract, so
 * they are spelled here again rather than making query depend on ingest). Counters reset when a
 * run ends; their per-second rates are computed with that taken into account.
 */
public enum SandboxField {
    CPU_PERCENT("cpu_percent", "microsandbox_cpu_utilization_ratio", 100, false),
    MEMORY_BYTES("memory_bytes", "microsandbox_memory_usage_bytes", 1, false),
    MEMORY_LIMIT_BYTES("memory_limit_bytes", "microsandbox_memory_limit_bytes", 1, false),
    DISK_READ_BYTES("disk_read_bytes", "microsandbox_disk_bytes_read", 1, true),
    DISK_WRITE_BYTES("disk_write_bytes", "microsandbox_disk_bytes_written", 1, true),
    NET_RX_BYTES("net_rx_bytes", "microsandbox_network_bytes_received", 1, true),
    NET_TX_BYTES("net_tx_bytes", "microsandbox_network_bytes_sent", 1, true),
    UPTIME_SECONDS("uptime_seconds", "microsandbox_uptime_seconds", 1, false),
    UPPER_USED_BYTES("upper_used_bytes", "microsandbox_upper_used_bytes", 1, false),
    UPPER_FREE_BYTES("upper_free_bytes", "microsandbox_upper_free_bytes", 1, false),
    UPPER_HOST_ALLOCATED_BYTES("upper_host_allocated_bytes", "microsandbox_upper_host_allocated_bytes", 1, false),
    VCPU_SECONDS("vcpu_seconds", "microsandbox_vcpu_time_seconds", 1, true),
    MEMORY_AVAILABLE_BYTES("memory_available_bytes", "microsandbox_memory_available_bytes", 1, false),
    MEMORY_HOST_RESIDENT_BYTES("memory_host_resident_bytes", "microsandbox_memory_host_resident_bytes", 1, false);

    /** Info series of a run: labels run_id and pid, value 1 at every sample of the run. */
    public static final String RUN_INFO = "microsandbox_sandbox_run_info";
    /** The label that names a sandbox. */
    public static final String NAME_LABEL = "sandbox_name";
    /** Every sample of a sandbox has an uptime: its series says when the sandbox was seen. */
    public static final SandboxField PRESENCE = UPTIME_SECONDS;

    private static final SandboxField[] ALL = values();

    private final String json;
    private final String metric;
    private final double scale;
    private final boolean counter;

    SandboxField(String json, String metric, double scale, boolean counter) {
        this.json = json;
        this.metric = metric;
        this.scale = scale;
        this.counter = counter;
    }

    public String json() {
        return json;
    }

    public String metric() {
        return metric;
    }

    public boolean counter() {
        return counter;
    }

    /** The stored value in the field's unit (cpu ratio to percent). */
    double fromStored(double v) {
        return scale == 1 ? v : v * scale;
    }

    public static SandboxField[] all() {
        return ALL;
    }

    /** The field stored under {@code metric}, or null. */
    public static SandboxField byMetric(String metric) {
        for (SandboxField f : ALL) {
            if (f.metric.equals(metric)) {
                return f;
            }
        }
        return null;
    }
}
