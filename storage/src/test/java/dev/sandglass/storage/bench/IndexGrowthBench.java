package dev.sandglass.storage.bench;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.index.SeriesIndex;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The series index alone, fed as bench/protocols.sh feeds it: batches of 16,384 new msb-shaped
 * series, each batch's refs taken, flushed, then copied into the map (syncMap). Prints per batch
 * the thread CPU of ref+flush and of syncMap, then the index dir's size on disk (allocated blocks
 * beside apparent size). Usage: IndexGrowthBench [BATCHES] [INITIAL_CAPACITY]
 */
public final class IndexGrowthBench {
    public static void main(String[] args) throws Exception {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        long cap = args.length > 1 ? Long.parseLong(args[1]) : SeriesIndex.DEFAULT_CAPACITY;
        var mx = ManagementFactory.getThreadMXBean();
        Path dir = Files.createTempDirectory("sg-index-bench-");
        long syncTotal = 0;
        long refTotal = 0;
        try (SeriesIndex idx = new SeriesIndex(dir.resolve("index"), cap, false)) {
            for (int b = 0; b < batches; b++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int s = 0; s < 1024; s++) {
                    for (int m = 0; m < 16; m++) {
                        idx.ref(Labels.of("__name__", "msb_round" + b + "_metric_" + m, "instance", "host-1", "job", "msb",
                                "sandbox_id", "0f3c2a1e-" + s, "sandbox_name", "sbx-" + s));
                    }
                }
                idx.flush();
                long t1 = mx.getCurrentThreadCpuTime();
                idx.syncMap();
                long t2 = mx.getCurrentThreadCpuTime();
                refTotal += t1 - t0;
                syncTotal += t2 - t1;
                System.out.printf("batch %d: %,d series, ref+flush %,d ms, syncMap %,d ms (%.2f us/series), capacity %,d%n", b,
                        idx.size(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t2 - t1) / 1e3 / 16384, idx.capacity());
            }
        }
        System.out.printf("total: ref+flush %,d ms, syncMap %,d ms%n", refTotal / 1_000_000, syncTotal / 1_000_000);
        try (Stream<Path> files = Files.list(dir.resolve("index"))) {
            for (Path p : files.toList()) {
                var attrs = Files.readAttributes(p, "unix:size");
                System.out.printf("%s: %,d bytes apparent%n", p.getFileName(), (Long) attrs.get("size"));
            }
        }
        new ProcessBuilder("du", "-sh", "--apparent-size", dir.toString()).inheritIO().start().waitFor();
        new ProcessBuilder("du", "-sh", dir.toString()).inheritIO().start().waitFor();
        new ProcessBuilder("rm", "-rf", dir.toString()).inheritIO().start().waitFor();
    }
}
