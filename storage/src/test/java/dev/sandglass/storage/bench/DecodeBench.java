package dev.sandglass.storage.bench;

import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Series;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Decode speed of the store on one thread: selects each metric of an imported data dir whole, many
 * times, and prints the best time per sample (the minimum is the steadier figure on a shared
 * machine). Run with -XX:ActiveProcessorCount=1 for one core. Usage: DecodeBench DATA_DIR [ROUNDS [METRIC...]]
 */
public final class DecodeBench {
    public static void main(String[] args) {
        System.setProperty("chronicle.analytics.disable", "true");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        String[] all = {"microsandbox_disk_bytes_written", "microsandbox_memory_usage_bytes", "microsandbox_cpu_utilization_ratio",
            "microsandbox_uptime_seconds", "microsandbox_memory_limit_bytes", "microsandbox_network_bytes_sent", "microsandbox_network_bytes_received"};
        String[] metrics = args.length > 2 ? Arrays.copyOfRange(args, 2, args.length) : all;
        try (Db db = Db.open(DbOptions.defaults(Path.of(args[0])).withRetention(100L * 365 * 86_400_000L, 0).asReadOnly())) {
            for (String m : metrics) {
                long best = Long.MAX_VALUE;
                long samples = 0;
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    try (Querier q = db.querier(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2)) {
                        List<Series> s = q.select(List.of(Matcher.eq("__name__", m)));
                        samples = 0;
                        for (Series x : s) {
                            samples += x.samples().size();
                        }
                    }
                    best = Math.min(best, System.nanoTime() - t0);
                }
                System.out.printf("%-40s %9d samples  best %7.2f ms  %5.2f ns/sample%n", m, samples, best / 1e6, (double) best / samples);
            }
        }
    }
}
