package dev.sandglass.web.bench;

import dev.sandglass.query.capacity.CapacityCalculator;
import dev.sandglass.query.capacity.CapacityReport;
import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.web.api.ApiHandlers;
import dev.sandglass.web.api.ApiServer;
import dev.sandglass.web.api.CapacityJson;
import dev.sandglass.web.api.EngineQueryService;
import dev.sandglass.web.api.JsonWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Where the capacity report's time goes, on one store in one process, the stages alternating
 * round by round: the rollup read alone (selectRollups), the whole computation, the JSON, and
 * the same report over HTTP on loopback. Prints each stage's median and range (wall ms; CPU ms
 * of the calling thread and of the whole process, which includes the server's threads).
 * Usage: CapacityProfile DIR END_UNIX_S RANGE_HOURS ROUNDS
 */
public final class CapacityProfile {
    public static void main(String[] args) throws Exception {
        System.setProperty("chronicle.analytics.disable", "true");
        Path dir = Path.of(args[0]);
        long end = Long.parseLong(args[1]) * 1000;
        long range = Long.parseLong(args[2]) * 3_600_000L;
        int rounds = Integer.parseInt(args[3]);
        long res = CapacityCalculator.defaultResolution(range);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        HttpClient http = HttpClient.newHttpClient();
        long tOpen = System.nanoTime();
        try (Db db = Db.open(DbOptions.defaults(dir).asReadOnly())) {
            System.out.printf("open read-only: %d ms%n", (System.nanoTime() - tOpen) / 1_000_000);
            ApiHandlers h = new ApiHandlers(() -> db, new EngineQueryService(new EngineOptions(300_000, 1_800_000, 2_000_000_000L, 60_000)),
                    new ApiHandlers.Options(1_800_000, 2, "bench", "", ""), List.of());
            try (ApiServer server = ApiServer.start("127.0.0.1", 0, h)) {
                URI uri = URI.create("http://127.0.0.1:" + server.port() + "/api/v1/capacity?range=" + args[2] + "h&end=" + args[1]);
                String[] names = {"selectRollups", "compute", "compute+json", "http"};
                long[][] wall = new long[names.length][rounds];
                long[][] cpu = new long[names.length][rounds];
                long[][] proc = new long[names.length][rounds];
                int bytes = 0;
                for (int i = 0; i < rounds + 1; i++) {
                    for (int s = 0; s < names.length; s++) {
                        long c0 = mx.getCurrentThreadCpuTime();
                        long p0 = os.getProcessCpuTime();
                        long t0 = System.nanoTime();
                        if (s == 0) {
                            try (Querier q = db.querier(end - range - res, end)) {
                                q.selectRollups(List.of(new Matcher(Matcher.Type.RE, "__name__", "microsandbox_.+"),
                                        new Matcher(Matcher.Type.RE, "sandbox_name", ".+")), res, end - range - res, end);
                            }
                        } else if (s == 1) {
                            CapacityCalculator.compute(db, end, range, res, null);
                        } else if (s == 2) {
                            CapacityReport r = CapacityCalculator.compute(db, end, range, res, null);
                            StringBuilder sb = new StringBuilder(256);
                            CapacityJson.write(r, new JsonWriter(sb));
                            bytes = sb.length();
                        } else {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 200) {
                                throw new IllegalStateException(r.statusCode() + " " + r.body());
                            }
                        }
                        long w = System.nanoTime() - t0;
                        long c = mx.getCurrentThreadCpuTime() - c0;
                        long p = os.getProcessCpuTime() - p0;
                        if (i == 0) {
                            System.out.printf("first call %-14s %6d ms wall%n", names[s], w / 1_000_000);
                        } else {
                            wall[s][i - 1] = w / 1_000_000;
                            cpu[s][i - 1] = c / 1_000_000;
                            proc[s][i - 1] = p;
                        }
                    }
                }
                System.out.printf("json: %,d bytes; %d rounds after the first, stages alternating; load %s%n", bytes, rounds,
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                for (int s = 0; s < names.length; s++) {
                    Arrays.sort(wall[s]);
                    Arrays.sort(cpu[s]);
                                        System.out.printf("  %-14s wall median %5d ms (%d-%d)   calling-thread CPU median %4d ms, process CPU mean %5.1f ms%n", names[s], wall[s][rounds / 2],
                            wall[s][0], wall[s][rounds - 1], cpu[s][rounds / 2], Arrays.stream(proc[s]).sum() / 1e6 / rounds);
                }
            }
        }
    }
}
