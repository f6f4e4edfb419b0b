package dev.sandglass.query.capacity;

import dev.sandglass.storage.api.RollupSeries;
import java.util.ArrayList;
import java.util.List;

/**
 * One sandbox's figures per report window, gathered from the rollup windows of its series (a
 * sandbox may have several series per metric, e.g. one per run with --series-run-labels; they add).
 */
final class SandboxWindows {
    final int windows;
    final double[] cpuSum;
    final double[] cpuCount;
    final double[] memSum;
    final double[] memCount;
    final double[] memMax;
    final double[] limitSum;
    final double[] limitCount;
    final double[][] bytes; // disk read, disk written, network received, network sent: increase per window
    /** Whether the sandbox has a series of each counter at all: without one, its throughput is not known (null), not 0. */
    final boolean[] counted = new boolean[4];
    double cpuPeak = Double.NaN;
    double memPeak = Double.NaN;
    double limitPeak = Double.NaN;
    /** Each start-time window's first and last sample, of every series of the sandbox: for the changes between windows. */
    private final List<Point> startTimes = new ArrayList<>();
    /** Start-time changes within the range's windows. */
    private long startChangesWithin;
    /** Decreases of uptime in the range, for sandboxes without a start-time series. */
    private long uptimeResets;

    /** A window's first or last start-time sample; {@code window} its index in the report (-1 before the range). */
    private record Point(long t, double v, int id, boolean last, int window) {
    }

    SandboxWindows(int windows) {
        this.windows = windows;
        cpuSum = new double[windows];
        cpuCount = new double[windows];
        memSum = new double[windows];
        memCount = new double[windows];
        memMax = new double[windows];
        limitSum = new double[windows];
        limitCount = new double[windows];
        bytes = new double[4][windows];
        java.util.Arrays.fill(memMax, Double.NaN);
    }

    void add(RollupSeries r, long first, long res) {
        String metric = r.labels().get("__name__");
        int counter = switch (metric) {
            case CapacityCalculator.DISK_READ -> 0;
            case CapacityCalculator.DISK_WRITE -> 1;
            case CapacityCalculator.NET_RX -> 2;
            case CapacityCalculator.NET_TX -> 3;
            default -> -1;
        };
        if (counter >= 0) {
            counted[counter] = true;
        }
        for (int k = 0; k < r.size(); k++) {
            long start = r.windowStart()[k];
            int w = (int) Math.floorDiv(start - first, res);
            if (metric.equals(CapacityCalculator.START)) {
                int id = startTimes.size();
                startTimes.add(new Point(r.firstT()[k], r.first()[k], id, false, w));
                startTimes.add(new Point(r.lastT()[k], r.last()[k], id, true, w));
                if (w >= 0 && w < windows) {
                    startChangesWithin += (long) r.changesWithin(k);
                }
                continue;
            }
            if (w < 0 || w >= windows) {
                continue;
            }
            if (metric.equals(CapacityCalculator.UPTIME)) {
                uptimeResets += (long) r.resetsWithin(k);
                uptimeResets += k > 0 ? r.seamReset(k) : 0;
                continue;
            }
            if (counter >= 0) {
                double inc = r.increase(k);
                if (k > 0) {
                    // Into this window from the last sample before it (Prometheus's reset rule there too).
                    inc += r.first()[k] - r.last()[k - 1] + r.seamCorrection(k);
                }
                bytes[counter][w] += inc;
                continue;
            }
            switch (metric) {
                case CapacityCalculator.CPU -> {
                    cpuSum[w] += r.sum()[k];
                    cpuCount[w] += r.count()[k];
                    cpuPeak = max(cpuPeak, r.max()[k]);
                }
                case CapacityCalculator.MEMORY -> {
                    memSum[w] += r.sum()[k];
                    memCount[w] += r.count()[k];
                    memMax[w] = max(memMax[w], r.max()[k]);
                    memPeak = max(memPeak, r.max()[k]);
                }
                case CapacityCalculator.LIMIT -> {
                    limitSum[w] += r.sum()[k];
                    limitCount[w] += r.count()[k];
                    limitPeak = max(limitPeak, r.max()[k]);
                }
                default -> {
                }
            }
        }
    }

    static double max(double a, double b) {
        return Double.isNaN(a) || b > a ? b : a;
    }

    boolean running(int w) {
        return cpuCount[w] > 0 || memCount[w] > 0;
    }

    double cpuMean(int w) {
        return cpuCount[w] > 0 ? cpuSum[w] / cpuCount[w] : Double.NaN;
    }

    double memMean(int w) {
        return memCount[w] > 0 ? memSum[w] / memCount[w] : Double.NaN;
    }

    double limitMean(int w) {
        return limitCount[w] > 0 ? limitSum[w] / limitCount[w] : Double.NaN;
    }

    /**
     * Times the start time changed between consecutive samples, the later one in the range: the
     * changes within each window of the range, plus those between one window's last sample and
     * the next first sample (of any of the sandbox's series, in time order). Without a start-time
     * series, times uptime went down, within and between windows.
     */
    long restarts() {
        if (startTimes.isEmpty()) {
            return uptimeResets;
        }
        startTimes.sort((a, b) -> Long.compare(a.t(), b.t())); // stable: a window's first stays before its last
        long n = startChangesWithin;
        for (int i = 1; i < startTimes.size(); i++) {
            Point p = startTimes.get(i - 1);
            Point c = startTimes.get(i);
            boolean sameWindow = c.last() && p.id() == c.id();
            if (!sameWindow && c.window() >= 0 && c.window() < windows && RollupSeries.changed(p.v(), c.v())) {
                n++;
            }
        }
        return n;
    }

    CapacityReport.Figures figures(long res, double seconds) {
        double resSeconds = res / 1000.0;
        double[] cpuMeans = new double[windows];
        double[] memMeans = new double[windows];
        double[] ratios = new double[windows];
        int nc = 0;
        int nm = 0;
        int nr = 0;
        double cpuS = 0;
        double cpuN = 0;
        double memS = 0;
        double memN = 0;
        double limS = 0;
        double limN = 0;
        double peakRatio = Double.NaN;
        for (int w = 0; w < windows; w++) {
            cpuS += cpuSum[w];
            cpuN += cpuCount[w];
            memS += memSum[w];
            memN += memCount[w];
            limS += limitSum[w];
            limN += limitCount[w];
            if (cpuCount[w] > 0) {
                cpuMeans[nc++] = cpuMean(w);
            }
            if (memCount[w] > 0) {
                memMeans[nm++] = memMean(w);
                double lim = limitMean(w);
                if (lim > 0) {
                    ratios[nr++] = memMean(w) / lim;
                    peakRatio = max(peakRatio, memMax[w] / lim);
                }
            }
        }
        double memMean = memN > 0 ? memS / memN : Double.NaN;
        double limMean = limN > 0 ? limS / limN : Double.NaN;
        double[] peak = new double[4];
        double[] mean = new double[4];
        for (int c = 0; c < 4; c++) {
            peak[c] = Double.NaN;
            double total = 0;
            boolean any = false;
            for (int w = 0; w < windows; w++) {
                if (counted[c] && (bytes[c][w] != 0 || running(w))) {
                    peak[c] = max(peak[c], bytes[c][w] / resSeconds);
                    total += bytes[c][w];
                    any = true;
                }
            }
            mean[c] = any ? total / seconds : Double.NaN;
        }
        return new CapacityReport.Figures(cpuPeak, Percentiles.of(cpuMeans, nc, 0.95), cpuN > 0 ? cpuS / cpuN : Double.NaN,
                memPeak, Percentiles.of(memMeans, nm, 0.95), memMean, limitPeak, peakRatio, Percentiles.of(ratios, nr, 0.95),
                limMean > 0 ? memMean / limMean : Double.NaN, peak[0], mean[0], peak[1], mean[1], peak[2], mean[2], peak[3], mean[3],
                restarts());
    }
}
