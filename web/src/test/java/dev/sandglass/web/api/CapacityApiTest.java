package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * /api/v1/capacity and the rollup warning of query_range over a real store: two sandboxes, one
 * day 20 days ago (past the 10-day raw retention: imported as rollups only) and the last two hours.
 */
class CapacityApiTest {
    static final long DAY = 86_400_000L;
    static final long NOW_HOUR = System.currentTimeMillis() / 3_600_000L * 3_600_000L;
    static final long OLD_DAY = (NOW_HOUR / DAY - 20) * DAY;
    static Path dir;
    static Db db;
    static ApiServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("sandglass-capacity-api");
        db = Db.open(DbOptions.defaults(dir).withRetention(10 * DAY, 0));
        try (BulkAppender b = db.bulkAppender()) {
            for (String sb : List.of("sbx-1", "sbx-2")) {
                double mem = sb.equals("sbx-1") ? 100 : 200;
                for (long[] span : new long[][] {{OLD_DAY, OLD_DAY + DAY}, {NOW_HOUR - 2 * 3_600_000L, NOW_HOUR}}) {
                    int n = (int) ((span[1] - span[0]) / 10_000);
                    long[] t = new long[n];
                    double[] m = new double[n];
                    double[] lim = new double[n];
                    for (int i = 0; i < n; i++) {
                        t[i] = span[0] + i * 10_000L + 333;
                        m[i] = mem + (i % 360);
                        lim[i] = 1000;
                    }
                    b.appendAll(b.seriesRef(Labels.of("__name__", "microsandbox_memory_usage_bytes", "sandbox_name", sb)), t, m, n);
                    b.appendAll(b.seriesRef(Labels.of("__name__", "microsandbox_memory_limit_bytes", "sandbox_name", sb)), t, lim.clone(), n);
                }
            }
            b.finish();
        }
        ApiHandlers h = new ApiHandlers(() -> db, new EngineQueryService(EngineOptions.defaults()),
                new ApiHandlers.Options(60_000, 2, "0.1.0", "abc", "2026-11-23"), List.of());
        server = ApiServer.start("127.0.0.1", 0, h);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        db.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void capacityOverTheLastTwoHours() throws Exception {
        var r = get("/api/v1/capacity?range=2h&end=" + NOW_HOUR / 1000);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject data = new JsonObject(r.body()).getJsonObject("data");
        assertEquals("5m", data.getString("resolution"));
        assertEquals(300, data.getInteger("resolutionSeconds"));
        assertTrue(data.getJsonObject("definitions").getString("sandbox.cpu.p95").contains("p95 of 5-minute means"));
        JsonArray sandboxes = data.getJsonArray("sandboxes");
        assertEquals(2, sandboxes.size());
        JsonObject s1 = sandboxes.getJsonObject(0);
        assertEquals("sbx-1", s1.getString("sandbox"));
        assertEquals(100 + 359.0, s1.getJsonObject("memory").getDouble("peak"));
        assertEquals(459 / 1000.0, s1.getJsonObject("memory").getDouble("peakOfLimit"), 1e-12);
        assertTrue(s1.getJsonObject("cpu").getValue("peak") == null, "no CPU series: null, not 0");
        assertEquals(2, data.getJsonObject("running").getInteger("peak"));
        assertEquals(24, data.getJsonObject("running").getJsonArray("series").size());
        assertEquals("sbx-2", data.getJsonObject("top").getJsonArray("memoryOfLimit").getJsonObject(0).getString("sandbox"));
    }

    @Test
    void capacityPastRawRetentionComesFromRollups() throws Exception {
        var r = get("/api/v1/capacity?range=1d&sandbox=sbx-2&end=" + (OLD_DAY + DAY) / 1000);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject data = new JsonObject(r.body()).getJsonObject("data");
        assertEquals(86_400, data.getLong("end") - data.getLong("start"), "range=1d is a day (Java would read 1d as 1.0)");
        assertEquals(1, data.getJsonArray("sandboxes").size());
        assertEquals(200 + 359.0, data.getJsonArray("sandboxes").getJsonObject(0).getJsonObject("memory").getDouble("peak"), r.body());
    }

    @Test
    void badParametersAreNamed() throws Exception {
        var r = get("/api/v1/capacity?range=fortnight");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("bad_data") && r.body().contains("\\\"range\\\""), r.body());
        var res = get("/api/v1/capacity?range=1d&resolution=10m");
        assertEquals(400, res.statusCode());
        assertTrue(res.body().contains("resolution must be 5m or 1h"), res.body());
    }

    @Test
    void queryRangePastRawRetentionWarnsAndRecentDataDoesNot() throws Exception {
        String q = enc("max_over_time(microsandbox_memory_usage_bytes[1d])");
        var old = get("/api/v1/query_range?query=" + q + "&start=" + (OLD_DAY + DAY) / 1000 + "&end=" + (OLD_DAY + DAY) / 1000 + "&step=3600");
        assertEquals(200, old.statusCode(), old.body());
        JsonObject body = new JsonObject(old.body());
        JsonArray warnings = body.getJsonArray("warnings");
        assertTrue(warnings != null && warnings.getString(0).contains("1h rollups"), old.body());
        JsonArray result = body.getJsonObject("data").getJsonArray("result");
        assertEquals(2, result.size());
        assertEquals("459", result.getJsonObject(0).getJsonArray("values").getJsonArray(0).getString(1));
        String recent = enc("max_over_time(microsandbox_memory_usage_bytes[1h])");
        var fresh = get("/api/v1/query?query=" + recent + "&time=" + NOW_HOUR / 1000);
        assertEquals(200, fresh.statusCode());
        assertFalse(fresh.body().contains("warnings"), fresh.body());
    }
}
