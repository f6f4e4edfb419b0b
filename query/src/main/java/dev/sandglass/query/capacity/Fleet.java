package dev.sandglass.query.capacity;

import java.util.List;

/**
 * The fleet's figures: per report window, the sum over running sandboxes of their window means
 * (CPU, memory, limit) and of their bytes moved; peaks, p95 and means are taken over those sums
 * across every window of the range (a window with no sandbox running counts as zero).
 */
final class Fleet {
    private final int windows;
    private final double[] cpu;
    private final double[] mem;
    private final double[] limit;
    private final double[] memWithLimit;
    private final double[][] bytes = new double[4][];
    /** Whether any sandbox has a series of each counter (else the fleet's throughput is null). */
    private final boolean[] counted = new boolean[4];
    private final int[] running;

    Fleet(int windows) {
        this.windows = windows;
        cpu = new double[windows];
        mem = new double[windows];
        limit = new double[windows];
        memWithLimit = new double[windows];
        running = new int[windows];
        for (int c = 0; c < 4; c++) {
            bytes[c] = new double[windows];
        }
    }

    void add(SandboxWindows s) {
        for (int c = 0; c < 4; c++) {
            counted[c] |= s.counted[c];
        }
        for (int w = 0; w < windows; w++) {
            if (s.running(w)) {
                running[w]++;
            }
            if (s.cpuCount[w] > 0) {
                cpu[w] += s.cpuMean(w);
            }
            if (s.memCount[w] > 0) {
                mem[w] += s.memMean(w);
                if (s.limitCount[w] > 0) {
                    limit[w] += s.limitMean(w);
                    memWithLimit[w] += s.memMean(w);
                }
            }
            for (int c = 0; c < 4; c++) {
                bytes[c][w] += s.bytes[c][w];
            }
        }
    }

    CapacityReport.Figures figures(long res, double seconds, List<CapacityReport.Sandbox> sandboxes) {
        double resSeconds = res / 1000.0;
        double[] ratio = new double[windows];
        int nr = 0;
        double peakRatio = Double.NaN;
        double memSum = 0;
        double limSum = 0;
        for (int w = 0; w < windows; w++) {
            if (limit[w] > 0) {
                ratio[nr++] = memWithLimit[w] / limit[w];
                peakRatio = SandboxWindows.max(peakRatio, memWithLimit[w] / limit[w]);
                memSum += memWithLimit[w];
                limSum += limit[w];
            }
        }
        double[] peak = new double[4];
        double[] mean = new double[4];
        for (int c = 0; c < 4; c++) {
            double total = 0;
            peak[c] = Double.NaN;
            for (int w = 0; w < windows; w++) {
                peak[c] = SandboxWindows.max(peak[c], bytes[c][w] / resSeconds);
                total += bytes[c][w];
            }
            mean[c] = windows > 0 && counted[c] ? total / seconds : Double.NaN;
            peak[c] = counted[c] ? peak[c] : Double.NaN;
        }
        long restarts = 0;
        for (CapacityReport.Sandbox s : sandboxes) {
            restarts += s.figures().restarts();
        }
        boolean any = !sandboxes.isEmpty();
        return new CapacityReport.Figures(any ? max(cpu) : Double.NaN, any ? Percentiles.of(cpu, windows, 0.95) : Double.NaN,
                any ? mean(cpu) : Double.NaN, any ? max(mem) : Double.NaN, any ? Percentiles.of(mem, windows, 0.95) : Double.NaN,
                any ? mean(mem) : Double.NaN, nr > 0 ? max(limit) : Double.NaN, peakRatio, Percentiles.of(ratio, nr, 0.95),
                limSum > 0 ? memSum / limSum : Double.NaN, any ? peak[0] : Double.NaN, any ? mean[0] : Double.NaN,
                any ? peak[1] : Double.NaN, any ? mean[1] : Double.NaN, any ? peak[2] : Double.NaN, any ? mean[2] : Double.NaN,
                any ? peak[3] : Double.NaN, any ? mean[3] : Double.NaN, restarts);
    }

    CapacityReport.Running running(long[] windowStarts) {
        double peak = 0;
        double sum = 0;
        for (int n : running) {
            peak = Math.max(peak, n);
            sum += n;
        }
        return new CapacityReport.Running(windows > 0 ? peak : Double.NaN, windows > 0 ? sum / windows : Double.NaN, windowStarts, running.clone());
    }

    private static double max(double[] v) {
        double m = Double.NaN;
        for (double x : v) {
            m = SandboxWindows.max(m, x);
        }
        return m;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length > 0 ? s / v.length : Double.NaN;
    }
}
