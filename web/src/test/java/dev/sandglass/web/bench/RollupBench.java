package dev.sandglass.web.bench;

import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.web.api.ApiHandlers;
import dev.sandglass.web.api.ApiServer;
import dev.sandglass.web.api.EngineQueryService;
import dev.sandglass.web.api.EngineWarmup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Times /api/v1/capacity against the same figures computed from raw samples by PromQL on the same
 * store (both over HTTP on loopback, same run), prints the largest difference per figure, then
 * max_over_time(memory[1d]) at step 1h from raw (store RAW) and past raw retention from rollups
 * (store ROLLED: the same history generated with a short raw retention).
 * Usage: RollupBench RAW_DIR ROLLED_DIR DAYS END_UNIX_S
 */
public final class RollupBench {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        System.setProperty("chronicle.analytics.disable", "true");
        Path rawDir = Path.of(args[0]);
        Path rolledDir = Path.of(args[1]);
        double days = Double.parseDouble(args[2]);
        long end = Long.parseLong(args[3]);
        String range = Math.round(days * 24) + "h";
        EngineOptions opts = new EngineOptions(300_000, 1_800_000, 2_000_000_000L, 60_000);
        Map<String, Double> viaRollups = new HashMap<>();
        Map<String, Double> viaRaw = new HashMap<>();
        JsonArray rawMax;
        try (Db db = Db.open(DbOptions.defaults(rawDir).asReadOnly()); ApiServer server = serve(db, opts)) {
            String cap = "/api/v1/capacity?range=" + range + "&end=" + end;
            long[] capMs = new long[5];
            JsonObject report = null;
            // As serve does at start (on its own synthetic store), unless ROLLUP_BENCH_NO_WARMUP is set.
            boolean warm = System.getenv("ROLLUP_BENCH_NO_WARMUP") == null;
            if (warm) {
                new EngineWarmup(new EngineQueryService(opts), 16, 1, 60).startInBackground(() -> false,
                        URI.create("http://127.0.0.1:" + server.port() + "/")).join();
            }
            get(server, "/api/v1/status/buildinfo"); // the bench's HTTP client loads its own classes here, not in a timed call
            // The first calls on a fresh server: timed apart.
            long[] firstMs = new long[3];
            for (int i = 0; i < firstMs.length; i++) {
                long t0 = System.nanoTime();
                get(server, cap);
                firstMs[i] = (System.nanoTime() - t0) / 1_000_000;
            }
            System.out.printf("capacity?range=%s: first calls after start %s ms (%s)%n", range, Arrays.toString(firstMs),
                    warm ? "after serve's start-up warm-up" : "no warm-up");
            for (int i = 0; i < capMs.length; i++) {
                long t0 = System.nanoTime();
                report = get(server, cap);
                capMs[i] = (System.nanoTime() - t0) / 1_000_000;
            }
            Arrays.sort(capMs);
            JsonObject data = report.getJsonObject("data");
            System.out.printf("capacity?range=%s: median %d ms (runs %s), from %s windows%n", range, capMs[2], Arrays.toString(capMs),
                    data.getString("resolution"));
            for (Object o : data.getJsonArray("sandboxes")) {
                JsonObject s = (JsonObject) o;
                String sb = s.getString("sandbox");
                viaRollups.put("cpu.peak " + sb, s.getJsonObject("cpu").getDouble("peak"));
                viaRollups.put("cpu.mean " + sb, s.getJsonObject("cpu").getDouble("mean"));
                viaRollups.put("cpu.p95 " + sb, s.getJsonObject("cpu").getDouble("p95"));
                viaRollups.put("memory.peak " + sb, s.getJsonObject("memory").getDouble("peak"));
                viaRollups.put("memory.mean " + sb, s.getJsonObject("memory").getDouble("mean"));
                viaRollups.put("memory.p95 " + sb, s.getJsonObject("memory").getDouble("p95"));
                viaRollups.put("memory.peakOfLimit " + sb, s.getJsonObject("memory").getDouble("peakOfLimit"));
                viaRollups.put("disk.readMean " + sb, s.getJsonObject("disk").getDouble("readMean"));
                viaRollups.put("disk.readPeak " + sb, s.getJsonObject("disk").getDouble("readPeak"));
                viaRollups.put("network.transmitMean " + sb, s.getJsonObject("network").getDouble("transmitMean"));
                viaRollups.put("restarts " + sb, s.getDouble("restarts"));
            }
            viaRollups.put("running.peak fleet", data.getJsonObject("running").getDouble("peak"));
            String step = (long) (data.getLong("resolutionSeconds")) + "s";
            String r = range;
            // The same figures from raw samples, by PromQL (Prometheus's definitions where they differ are noted).
            String[][] queries = {
                {"cpu.peak", "max_over_time(microsandbox_cpu_utilization_ratio[" + r + "])"},
                {"cpu.mean", "avg_over_time(microsandbox_cpu_utilization_ratio[" + r + "])"},
                {"cpu.p95", "quantile_over_time(0.95, avg_over_time(microsandbox_cpu_utilization_ratio[" + step + "])[" + r + ":" + step + "])"},
                {"memory.peak", "max_over_time(microsandbox_memory_usage_bytes[" + r + "])"},
                {"memory.mean", "avg_over_time(microsandbox_memory_usage_bytes[" + r + "])"},
                {"memory.p95", "quantile_over_time(0.95, avg_over_time(microsandbox_memory_usage_bytes[" + step + "])[" + r + ":" + step + "])"},
                {"memory.peakOfLimit", "max_over_time(microsandbox_memory_usage_bytes[" + r + "]) / max_over_time(microsandbox_memory_limit_bytes[" + r + "])"},
                {"disk.readMean", "increase(microsandbox_disk_bytes_read[" + r + "]) / " + Math.round(days * 86400)},
                {"disk.readPeak", "max_over_time(increase(microsandbox_disk_bytes_read[" + step + "])[" + r + ":" + step + "]) / " + step.replace("s", "")},
                {"network.transmitMean", "increase(microsandbox_network_bytes_sent[" + r + "]) / " + Math.round(days * 86400)},
                {"restarts", "changes(microsandbox_sandbox_start_time_seconds[" + r + "])"},
                {"running.peak", "max_over_time(count(count_over_time(microsandbox_memory_usage_bytes[" + step + "]))[" + r + ":" + step + "])"},
            };
            long rawTotal = 0;
            for (String[] q : queries) {
                long t0 = System.nanoTime();
                JsonObject res = get(server, "/api/v1/query?time=" + end + "&query=" + enc(q[1]));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                rawTotal += ms;
                for (Object o : res.getJsonObject("data").getJsonArray("result")) {
                    JsonObject s = (JsonObject) o;
                    String sb = s.getJsonObject("metric").getString("sandbox_name", "fleet");
                    viaRaw.put(q[0] + " " + sb, Double.parseDouble(s.getJsonArray("value").getString(1)));
                }
                System.out.printf("  raw PromQL %-20s %7d ms  %s%n", q[0], ms, q[1]);
            }
            System.out.printf("capacity report %d ms vs the same figures from raw samples by PromQL %d ms: %.0fx faster%n", capMs[2], rawTotal,
                    rawTotal / (double) Math.max(1, capMs[2]));
            Map<String, double[]> worst = new java.util.TreeMap<>();
            for (var e : viaRaw.entrySet()) {
                Double mine = viaRollups.get(e.getKey());
                if (mine == null) {
                    continue;
                }
                String figure = e.getKey().substring(0, e.getKey().indexOf(' '));
                double diff = Math.abs(mine - e.getValue());
                double rel = diff / Math.max(1e-12, Math.abs(e.getValue()));
                double[] w = worst.computeIfAbsent(figure, k -> new double[3]);
                if (rel >= w[0]) {
                    w[0] = rel;
                    w[1] = mine;
                    w[2] = e.getValue();
                }
            }
            System.out.println("largest difference per figure (report vs raw PromQL):");
            for (var e : worst.entrySet()) {
                System.out.printf("  %-22s %.3g relative (report %.6g, PromQL %.6g)%n", e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]);
            }
            rawMax = timeRange(server, end, days, "raw samples");
        }
        try (Db db = Db.open(DbOptions.defaults(rolledDir).asReadOnly()); ApiServer server = serve(db, opts)) {
            JsonArray rolled = timeRange(server, end, days, "rollups (raw retention 1 day)");
            double worst = 0;
            int points = 0;
            for (int i = 0; i < rawMax.size(); i++) {
                JsonArray a = rawMax.getJsonObject(i).getJsonArray("values");
                JsonArray b = rolled.getJsonObject(i).getJsonArray("values");
                for (int k = 0; k < Math.min(a.size(), b.size()); k++) {
                    double x = Double.parseDouble(a.getJsonArray(k).getString(1));
                    double y = Double.parseDouble(b.getJsonArray(k).getString(1));
                    worst = Math.max(worst, Math.abs(x - y) / Math.max(1e-12, Math.abs(x)));
                    points++;
                }
            }
            System.out.printf("max_over_time[1d] raw vs rollups: %d points, largest relative difference %.3g%n", points, worst);
        }
    }

    private static JsonArray timeRange(ApiServer server, long end, double days, String what) throws Exception {
        long start = end - (long) (days * 86400) + 86400;
        String q = "/api/v1/query_range?query=" + enc("max_over_time(microsandbox_memory_usage_bytes[1d])") + "&start=" + start
                + "&end=" + end + "&step=3600";
        get(server, q);
        long[] ms = new long[3];
        JsonObject res = null;
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            res = get(server, q);
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        Arrays.sort(ms);
        JsonArray w = res.getJsonArray("warnings");
        System.out.printf("query_range max_over_time(microsandbox_memory_usage_bytes[1d]) step 1h over %.1f days from %s: median %d ms%s%n",
                days - 1, what, ms[1], w == null ? "" : " (warning: " + w.getString(0) + ")");
        return res.getJsonObject("data").getJsonArray("result");
    }

    private static ApiServer serve(Db db, EngineOptions opts) {
        ApiHandlers h = new ApiHandlers(() -> db, new EngineQueryService(opts), new ApiHandlers.Options(1_800_000, 2, "bench", "", ""), List.of());
        return ApiServer.start("127.0.0.1", 0, h);
    }

    private static JsonObject get(ApiServer server, String pathAndQuery) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(pathAndQuery + ": " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
