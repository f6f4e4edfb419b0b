package dev.sandglass.ingest.collect;

import dev.sandglass.ingest.registry.Layout;
import dev.sandglass.ingest.registry.SlotSnapshot;

/**
 * The series a registry slot becomes, named as Prometheus names msb-metrics' OTLP output (spec,
 * last section), plus the fields msb-metrics does not ship, named by the same rules. One row per
 * series: name, the sample_flags bit it needs (0: always present), and how to read its value.
 */
public enum SeriesNames {
    CPU("microsandbox_cpu_utilization_ratio", Layout.F_CPU) {
        @Override
        double value(SlotSnapshot s) {
            return s.cpuPercent / 100.0;
        }
    },
    VCPU_TIME("microsandbox_vcpu_time_seconds", Layout.F_CPU) {
        @Override
        double value(SlotSnapshot s) {
            return s.vcpuTimeNs / 1e9;
        }
    },
    MEMORY_USAGE("microsandbox_memory_usage_bytes", Layout.F_MEMORY_USED) {
        @Override
        double value(SlotSnapshot s) {
            return s.memoryBytes;
        }
    },
    MEMORY_LIMIT("microsandbox_memory_limit_bytes", 0) {
        @Override
        double value(SlotSnapshot s) {
            return s.memoryLimit;
        }
    },
    MEMORY_AVAILABLE("microsandbox_memory_available_bytes", Layout.F_MEMORY_AVAILABLE) {
        @Override
        double value(SlotSnapshot s) {
            return s.memoryAvailable;
        }
    },
    MEMORY_HOST_RESIDENT("microsandbox_memory_host_resident_bytes", Layout.F_MEMORY_HOST_RESIDENT) {
        @Override
        double value(SlotSnapshot s) {
            return s.memoryHostResident;
        }
    },
    DISK_READ("microsandbox_disk_bytes_read", 0) {
        @Override
        double value(SlotSnapshot s) {
            return s.diskRead;
        }
    },
    DISK_WRITTEN("microsandbox_disk_bytes_written", 0) {
        @Override
        double value(SlotSnapshot s) {
            return s.diskWrite;
        }
    },
    NET_RECEIVED("microsandbox_network_bytes_received", 0) {
        @Override
        double value(SlotSnapshot s) {
            return s.netRx;
        }
    },
    NET_SENT("microsandbox_network_bytes_sent", 0) {
        @Override
        double value(SlotSnapshot s) {
            return s.netTx;
        }
    },
    UPPER_USED("microsandbox_upper_used_bytes", Layout.F_UPPER_USED) {
        @Override
        double value(SlotSnapshot s) {
            return s.upperUsed;
        }
    },
    UPPER_FREE("microsandbox_upper_free_bytes", Layout.F_UPPER_FREE) {
        @Override
        double value(SlotSnapshot s) {
            return s.upperFree;
        }
    },
    UPPER_HOST_ALLOCATED("microsandbox_upper_host_allocated_bytes", Layout.F_UPPER_HOST_ALLOCATED) {
        @Override
        double value(SlotSnapshot s) {
            return s.upperHostAllocated;
        }
    },
    UPTIME("microsandbox_uptime_seconds", 0) {
        @Override
        double value(SlotSnapshot s) {
            return (s.sampledAt - s.startedAt) / 1000.0;
        }
    },
    START_TIME("microsandbox_sandbox_start_time_seconds", 0) {
        @Override
        double value(SlotSnapshot s) {
            return s.startedAt / 1000.0;
        }
    };

    /** Info series recording the run: labels run_id and pid, value 1. */
    public static final String RUN_INFO = "microsandbox_sandbox_run_info";

    private final String metric;
    private final int flag;

    SeriesNames(String metric, int flag) {
        this.metric = metric;
        this.flag = flag;
    }

    public String metric() {
        return metric;
    }

    boolean present(SlotSnapshot s) {
        return flag == 0 || s.has(flag);
    }

    abstract double value(SlotSnapshot s);
}
