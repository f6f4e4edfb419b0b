package dev.sandglass.web.cli;

import dev.sandglass.query.capacity.CapacityReport;
import dev.sandglass.query.capacity.CapacityReport.Figures;
import java.io.PrintStream;
import java.time.Instant;

/** The capacity report as tables for a terminal. */
final class CapacityTable {
    private CapacityTable() {
    }

    static void print(CapacityReport r, PrintStream out) {
        out.printf("Capacity %s .. %s, %s windows%n", Instant.ofEpochMilli(r.startMs()), Instant.ofEpochMilli(r.endMs()),
                r.resolutionMs() == 3_600_000L ? "1-hour" : "5-minute");
        out.println("Source: " + r.source());
        out.println();
        String head = String.format("%-24s %8s %8s %8s %10s %10s %10s %10s %7s %7s %7s %10s %10s %10s %10s %8s",
                "SANDBOX", "CPU_PEAK", "CPU_P95", "CPU_MEAN", "MEM_PEAK", "MEM_P95", "MEM_MEAN", "MEM_LIMIT", "%LIM_PK",
                "%LIM_95", "%LIM_MN", "DISK_R/S", "DISK_W/S", "NET_RX/S", "NET_TX/S", "RESTARTS");
        out.println(head);
        out.println(row("(fleet)", r.fleet()));
        for (CapacityReport.Sandbox s : r.sandboxes()) {
            out.println(row(s.name(), s.figures()));
        }
        out.println();
        out.printf("Running sandboxes: peak %s, mean %s%n", num(r.running().peak()), num(r.running().mean()));
        out.print("Top by memory peak of limit:");
        for (CapacityReport.Ranked x : r.topMemoryOfLimit()) {
            out.print("  " + x.sandbox() + " " + pct(x.value()));
        }
        out.println();
        out.print("Top by CPU peak:");
        for (CapacityReport.Ranked x : r.topCpu()) {
            out.print("  " + x.sandbox() + " " + num(x.value()));
        }
        out.println();
        out.println();
        out.println("Throughput columns are means (bytes/s); peaks and every definition are in --json. Definitions:");
        for (var e : r.definitions().entrySet()) {
            out.println("  " + e.getKey() + ": " + e.getValue());
        }
    }

    private static String row(String name, Figures f) {
        return String.format("%-24s %8s %8s %8s %10s %10s %10s %10s %7s %7s %7s %10s %10s %10s %10s %8d", name, num(f.cpuPeak()),
                num(f.cpuP95()), num(f.cpuMean()), bytes(f.memoryPeak()), bytes(f.memoryP95()), bytes(f.memoryMean()),
                bytes(f.memoryLimit()), pct(f.memoryPeakOfLimit()), pct(f.memoryP95OfLimit()), pct(f.memoryMeanOfLimit()),
                bytes(f.diskReadMean()), bytes(f.diskWriteMean()), bytes(f.networkReceiveMean()), bytes(f.networkTransmitMean()),
                f.restarts());
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.3f", v);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.1f%%", v * 100);
    }

    static String bytes(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(u == 0 ? "%.0f%s" : "%.1f%s", v, units[u]);
    }
}
