package dev.sandglass.web.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A few figures about this process for /metrics: resident memory, heap, uptime. */
final class ProcessMetrics {
    // The JVM's start, not this class's first use (it loads on the first scrape).
    private static final long START_MS = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();

    private ProcessMetrics() {
    }

    static void write(StringBuilder sb) {
        long rss = residentBytes();
        if (rss >= 0) {
            sb.append("# HELP process_resident_memory_bytes Resident memory size in bytes.\n");
            sb.append("# TYPE process_resident_memory_bytes gauge\n");
            sb.append("process_resident_memory_bytes ").append(rss).append('\n');
        }
        Runtime rt = Runtime.getRuntime();
        sb.append("# HELP jvm_heap_used_bytes Java heap in use.\n# TYPE jvm_heap_used_bytes gauge\n");
        sb.append("jvm_heap_used_bytes ").append(rt.totalMemory() - rt.freeMemory()).append('\n');
        sb.append("# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.\n");
        sb.append("# TYPE process_start_time_seconds gauge\n");
        sb.append("process_start_time_seconds ").append(PromFormat.timestamp(START_MS)).append('\n');
    }

    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
