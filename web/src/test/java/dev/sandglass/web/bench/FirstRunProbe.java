package dev.sandglass.web.bench;

import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.query.engine.QueryResult;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.web.api.EngineQueryService;
import dev.sandglass.web.api.JsonWriter;
import dev.sandglass.web.api.ResultJson;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Separates what a first query pays that is not the JIT's (issue 15 item 4): warms the JIT on one
 * copy of a data dir (ROUNDS rounds of the queries, range over the reference set's 6 h at step
 * 60 s, with their JSON), then opens a second copy, never read, and prints each query's first run
 * there beside the median of five more: the process's CPU (all threads) in ms. A difference left
 * once the code is compiled is the store's own first-touch cost (opening readers, mapping and
 * faulting in files, building what is built lazily). Then the same after the idle server's steps:
 * the readers' release and a full collection.
 * Usage: bench/test-main.sh web dev.sandglass.web.bench.FirstRunProbe COPY_A COPY_B QUERIES_FILE ROUNDS
 */
public final class FirstRunProbe {
    private static final long START = 1_763_596_800_000L;
    private static final long END = START + 6 * 3_600_000L - 2_000;
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final EngineQueryService ENGINE = new EngineQueryService(new EngineOptions(300_000, 300_000, 50_000_000, 60_000));

    private FirstRunProbe() {
    }

    private static double cpuMs(Db db, String q) {
        long c0 = OS.getProcessCpuTime();
        QueryResult r = ENGINE.range(db, q, START, END, 60_000, 300_000, () -> false);
        ResultJson.write(r, new JsonWriter(new StringBuilder(1 << 16), text -> text.setLength(0), 1 << 16));
        return (OS.getProcessCpuTime() - c0) / 1e6;
    }

    public static void main(String[] args) throws Exception {
        List<String> qs = Files.readAllLines(Path.of(args[2])).stream().filter(s -> !s.isBlank()).toList();
        int rounds = Integer.parseInt(args[3]);
        long retention = 100L * 365 * 24 * 3_600_000;
        try (Db a = Db.open(DbOptions.defaults(Path.of(args[0])).withRetention(retention, 0));
             Db b = Db.open(DbOptions.defaults(Path.of(args[1])).withRetention(retention, 0))) {
            for (int i = 0; i < rounds; i++) {
                for (String q : qs) {
                    cpuMs(a, q);
                }
            }
            System.out.printf("JIT warmed on the first copy (%d rounds; compiled for %d ms)%n", rounds,
                    ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
            System.out.println("second copy, process CPU ms: first run, median of 5 more");
            double[] first = new double[qs.size()];
            for (int i = 0; i < qs.size(); i++) {
                first[i] = cpuMs(b, qs.get(i));
            }
            for (int i = 0; i < qs.size(); i++) {
                double[] s = new double[5];
                for (int k = 0; k < s.length; k++) {
                    s[k] = cpuMs(b, qs.get(i));
                }
                Arrays.sort(s);
                System.out.printf("  %6.0f %6.0f  %s%n", first[i], s[2], qs.get(i));
            }
            b.releaseIdleReaders();
            System.gc();
            System.out.println("after the idle server's steps (readers released, full collection): each query once");
            for (String q : qs) {
                System.out.printf("  %6.0f  %s%n", cpuMs(b, q), q);
            }
        }
        System.exit(0);
    }
}
