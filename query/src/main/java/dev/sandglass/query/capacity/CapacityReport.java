package dev.sandglass.query.capacity;

import java.util.List;
import java.util.Map;

/**
 * The capacity report over one range: per sandbox and for the fleet, CPU and memory (peak, p95,
 * mean, absolute and against the memory limit), disk and network throughput, restarts, the number
 * of sandboxes running per window, and the top sandboxes. Figures are NaN where there is no data.
 * {@link #definitions()} says how each figure is computed; {@link #resolutionMs()} which windows.
 */
public record CapacityReport(long startMs, long endMs, long resolutionMs, String source, Map<String, String> definitions,
        Figures fleet, Running running, List<Sandbox> sandboxes, List<Ranked> topMemoryOfLimit, List<Ranked> topCpu) {

    /**
     * One sandbox's or the fleet's figures. CPU in CPUs (microsandbox_cpu_utilization_ratio), memory
     * in bytes and as a fraction of the limit, throughput in bytes per second.
     */
    public record Figures(double cpuPeak, double cpuP95, double cpuMean, double memoryPeak, double memoryP95, double memoryMean,
            double memoryLimit, double memoryPeakOfLimit, double memoryP95OfLimit, double memoryMeanOfLimit,
            double diskReadPeak, double diskReadMean, double diskWritePeak, double diskWriteMean,
            double networkReceivePeak, double networkReceiveMean, double networkTransmitPeak, double networkTransmitMean,
            long restarts) {
    }

    public record Sandbox(String name, Figures figures) {
    }

    /** Sandboxes running per window: peak, mean, and the count at each window start. */
    public record Running(double peak, double mean, long[] windowStartMs, int[] count) {
    }

    public record Ranked(String sandbox, double value) {
    }
}
