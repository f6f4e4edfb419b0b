package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox views over HTTP against a real store filled by the real collector from a scripted
 * registry (SandboxFleetScript): latest points with nulls, history across a restart with its gap,
 * rates that never go negative, restart and stop events with their exact figures, 404 and 400.
 */
class SandboxApiTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path tmp;
    static Db db;
    static ApiServer server;
    static SandboxFleetScript script;

    @BeforeAll
    static void start() throws Exception {
        db = Db.open(DbOptions.defaults(tmp.resolve("data")));
        // Second 0 of the script is 5 minutes ago, so the whole script is in the past and sbx-a,
        // last seen 3 minutes ago, still counts as running.
        long t0 = (System.currentTimeMillis() - 300_000) / 1000 * 1000;
        script = SandboxFleetScript.run(tmp.resolve("shm"), db, t0);
        ApiHandlers h = new ApiHandlers(() -> db, new EngineQueryService(EngineOptions.defaults()),
                new ApiHandlers.Options(60_000, 2, "0.1.0", "abc", "2026-11-29"), List.of());
        server = ApiServer.start("127.0.0.1", 0, h);
    }

    @AfterAll
    static void stop() {
        server.close();
        db.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode data(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode n = JsonNode.parse(r.body());
        assertEquals("success", n.get("status").asText());
        return n.get("data");
    }

    static String time(int second) {
        return SandboxJson.time(script.at(second)).replace("\"", "");
    }

    @Test
    void fleetListsRunningAndStoppedWithTheirLatestPoints() throws Exception {
        JsonNode all = data("/api/v1/sandboxes?since=10m");
        assertEquals(3, all.size(), all.toString());
        JsonNode a = all.get(0);
        assertEquals("sbx-a", a.get("name").asText());
        assertEquals("running", a.get("state").asText());
        assertEquals(time(119), a.get("last_seen").asText());
        JsonNode p = a.get("latest");
        assertEquals(time(119), p.get("timestamp").asText());
        assertEquals(2, p.get("run_id").asInt());
        assertEquals(1, p.get("sandbox_id").asInt());
        assertEquals(SandboxFleetScript.GIB / 4, p.get("memory_bytes").asLong());
        assertEquals(SandboxFleetScript.GIB, p.get("memory_limit_bytes").asLong());
        assertEquals(5.0, p.get("cpu_percent").asDouble(), 1e-6);
        assertEquals(57_000, p.get("disk_read_bytes").asLong());
        assertEquals(57.0, p.get("uptime_seconds").asDouble(), 1e-9, "uptime of run 2, started at second 62");
        assertTrue(p.get("upper_used_bytes").isNull(), "not reported: null, never 0");
        assertTrue(p.get("memory_available_bytes").isNull());

        JsonNode b = all.get(1);
        assertEquals("sbx-b", b.get("name").asText());
        assertEquals("stopped", b.get("state").asText());
        assertEquals(time(29), b.get("last_seen").asText());
        JsonNode pb = b.get("latest");
        assertEquals(7, pb.get("run_id").asInt());
        for (String absent : new String[] {"cpu_percent", "memory_bytes", "vcpu_seconds", "upper_free_bytes", "memory_host_resident_bytes"}) {
            assertTrue(pb.get(absent).isNull(), absent + " was not reported by sbx-b: " + pb);
        }
        assertEquals(2900, pb.get("disk_read_bytes").asLong());
        assertEquals(SandboxFleetScript.GIB / 2, pb.get("memory_limit_bytes").asLong());

        JsonNode c = all.get(2);
        assertEquals("sbx-c", c.get("name").asText());
        assertEquals("running", c.get("state").asText());
        assertEquals(3, c.get("latest").get("sandbox_id").asInt());
        assertEquals(1, c.get("latest").get("run_id").asInt());

        // Only what was seen in the last minute: sbx-b stopped four and a half minutes ago.
        JsonNode recent = data("/api/v1/sandboxes?since=4m");
        assertEquals(2, recent.size(), recent.toString());
    }

    @Test
    void oneSandboxAndItsErrors() throws Exception {
        JsonNode b = data("/api/v1/sandboxes/sbx-b");
        assertEquals("stopped", b.get("state").asText());
        assertEquals(time(29), b.get("latest").get("timestamp").asText());

        HttpResponse<String> unknown = get("/api/v1/sandboxes/sbx-nope");
        assertEquals(404, unknown.statusCode());
        assertEquals("{\"status\":\"error\",\"errorType\":\"not_found\",\"error\":\"unknown sandbox \\\"sbx-nope\\\": no sample of it is stored\"}",
                unknown.body());
        assertEquals(404, get("/api/v1/sandboxes/sbx-nope/metrics").statusCode());
        assertEquals(404, get("/api/v1/sandboxes/sbx-nope/stream").statusCode());
        assertTrue(get("/api/v1/sandboxes/sbx-nope/metrics").body().contains("sbx-nope"));

        HttpResponse<String> badSince = get("/api/v1/sandboxes?since=fortnight");
        assertEquals(400, badSince.statusCode());
        assertTrue(badSince.body().contains("invalid parameter \\\"since\\\""), badSince.body());
        HttpResponse<String> badStep = get("/api/v1/sandboxes/sbx-a/metrics?step=-1");
        assertEquals(400, badStep.statusCode());
        assertTrue(badStep.body().contains("\\\"step\\\""), badStep.body());
        HttpResponse<String> badStart = get("/api/v1/sandboxes/sbx-a/metrics?start=yesterday");
        assertEquals(400, badStart.statusCode());
        assertTrue(badStart.body().contains("\\\"start\\\""), badStart.body());
        HttpResponse<String> badInterval = get("/api/v1/sandboxes/sbx-a/stream?interval=50ms");
        assertEquals(400, badInterval.statusCode());
        assertTrue(badInterval.body().contains("\\\"interval\\\""), badInterval.body());
        assertEquals(400, get("/api/v1/sandboxes/sbx-a/stream?interval=2h").statusCode());
    }

    @Test
    void historyAcrossARestartMarksTheGapAndTheRestartAndRatesStayPositive() throws Exception {
        JsonNode h = data("/api/v1/sandboxes/sbx-a/metrics");
        assertEquals(time(0), h.get("start").asText(), "default start: the first sample");
        assertEquals(1.0, h.get("interval_seconds").asDouble());
        assertTrue(h.get("step_seconds").isNull());
        JsonNode pts = h.get("points");
        assertEquals(60 + 57, pts.size());
        assertEquals(1, h.get("gaps").size());
        JsonNode gap = h.get("gaps").get(0);
        assertEquals(time(59), gap.get("from").asText());
        assertEquals(time(63), gap.get("to").asText());
        assertEquals(4.0, gap.get("seconds").asDouble());
        assertEquals(1, h.get("restarts").size());
        JsonNode rs = h.get("restarts").get(0);
        assertEquals(time(63), rs.get("timestamp").asText());
        assertEquals(time(59), rs.get("last_sample_of_old_run").asText());
        assertEquals(1, rs.get("old_run_id").asInt());
        assertEquals(2, rs.get("new_run_id").asInt());

        assertTrue(pts.get(0).get("disk_read_bytes_per_second").isNull(), "no rate before the first sample");
        for (JsonNode p : pts) {
            for (String f : new String[] {"disk_read_bytes_per_second", "disk_write_bytes_per_second", "net_rx_bytes_per_second",
                "net_tx_bytes_per_second", "vcpu_seconds_per_second"}) {
                if (!p.get(f).isNull()) {
                    assertTrue(p.get(f).asDouble() >= 0, f + " negative at " + p);
                }
            }
        }
        assertEquals(1000.0, pts.get(1).get("disk_read_bytes_per_second").asDouble(), 1e-9);
        JsonNode firstOfRun2 = pts.get(60);
        assertEquals(time(63), firstOfRun2.get("timestamp").asText());
        assertEquals(2, firstOfRun2.get("run_id").asInt());
        assertEquals(1000, firstOfRun2.get("disk_read_bytes").asLong(), "cumulative values as stored: the counter began again");
        assertEquals(250.0, firstOfRun2.get("disk_read_bytes_per_second").asDouble(), 1e-9, "1000 bytes since the reset, over 4 s");

        JsonNode stepped = data("/api/v1/sandboxes/sbx-a/metrics?start=" + script.at(0) / 1000 + "&end=" + script.at(119) / 1000 + "&step=10s");
        assertEquals(10.0, stepped.get("step_seconds").asDouble());
        JsonNode sp = stepped.get("points");
        assertEquals(12, sp.size(), "a point every 10 s from second 0 to 110");
        assertEquals(time(60), sp.get(6).get("timestamp").asText());
        assertEquals(time(59), SandboxJson.time(script.at(59)).replace("\"", ""));
        assertEquals(1, sp.get(6).get("run_id").asInt(), "at second 60 the last sample is run 1's at 59");
        assertEquals(1000.0, sp.get(5).get("disk_read_bytes_per_second").asDouble(), 1e-9);
        // From second 60 (run 1's last sample, at 59: 5,060,000) to 70 (run 2 at 70: 8,000): the reset adds 8,000 over 11 s.
        assertEquals(8000 / 11.0, sp.get(7).get("disk_read_bytes_per_second").asDouble(), 1e-9);

        JsonNode afterStop = data("/api/v1/sandboxes/sbx-b/metrics");
        assertEquals(30, afterStop.get("points").size(), "history stays after the stop");
    }

    @Test
    void tooManyPointsSaysWhichStepFits() throws Exception {
        HttpResponse<String> r = get("/api/v1/sandboxes/sbx-a/metrics?start=" + script.at(0) / 1000 + "&end=" + (script.at(0) / 1000 + 86_400)
                + "&step=1s");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("invalid parameter \\\"step\\\": exceeded maximum resolution of 11,000 points per series (86,401 asked for); try step=8s"),
                r.body());
    }

    @Test
    void restartsOfAnUnknownSandboxIs404AndOfAQuietOneAnEmptyList() throws Exception {
        HttpResponse<String> unknown = get("/api/v1/restarts?sandbox=sbx-nope");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertEquals("{\"status\":\"error\",\"errorType\":\"not_found\",\"error\":\"unknown sandbox \\\"sbx-nope\\\": no sample of it is stored\"}",
                unknown.body());
        // sbx-c runs its first run: seen, never restarted, so none is the answer.
        assertEquals(0, data("/api/v1/restarts?sandbox=sbx-c").size());
    }

    @Test
    void restartsAndStopsWithTheOldRunsLastMinute() throws Exception {
        JsonNode ev = data("/api/v1/restarts?since=1h");
        assertEquals(2, ev.size(), "one restart (sbx-a) and one stop (sbx-b); the slot reuse by sbx-c is neither: " + ev);
        JsonNode stop = ev.get(0);
        assertEquals("sbx-b", stop.get("sandbox_name").asText());
        assertEquals("stop", stop.get("event").asText());
        assertEquals(time(29), stop.get("timestamp").asText());
        assertEquals(7, stop.get("old_run_id").asInt());
        assertTrue(stop.get("new_run_id").isNull());
        assertTrue(stop.get("gap_seconds").isNull());
        assertEquals(39.0, stop.get("uptime_seconds").asDouble(), 1e-9);
        assertTrue(stop.get("memory_peak_bytes").isNull(), "sbx-b never reported memory used");
        assertTrue(stop.get("memory_near_limit").isNull());
        assertTrue(stop.get("cpu_last_percent").isNull());

        JsonNode restart = ev.get(1);
        assertEquals("sbx-a", restart.get("sandbox_name").asText());
        assertEquals("restart", restart.get("event").asText());
        assertEquals(time(63), restart.get("timestamp").asText());
        assertEquals(time(59), restart.get("last_sample_of_old_run").asText());
        assertEquals(time(63), restart.get("first_sample_of_new_run").asText());
        assertEquals(1, restart.get("old_run_id").asInt());
        assertEquals(2, restart.get("new_run_id").asInt());
        assertEquals(109.0, restart.get("uptime_seconds").asDouble(), 1e-9);
        assertEquals(4.0, restart.get("gap_seconds").asDouble());
        assertEquals(SandboxFleetScript.memoryA(59), restart.get("memory_last_bytes").asLong());
        assertEquals(SandboxFleetScript.memoryA(50), restart.get("memory_peak_bytes").asLong());
        assertEquals(SandboxFleetScript.GIB, restart.get("memory_limit_bytes").asLong());
        assertEquals(0.96, restart.get("memory_peak_ratio").asDouble(), 1e-6);
        assertTrue(restart.get("memory_near_limit").asBoolean());
        assertEquals(15.9, restart.get("cpu_last_percent").asDouble(), 1e-5);

        assertEquals(1, data("/api/v1/restarts?since=1h&sandbox=sbx-a").size());
        assertEquals(0, data("/api/v1/restarts?since=1h&sandbox=sbx-c").size());
        assertEquals(0, data("/api/v1/restarts?since=1h&until=" + script.at(20) / 1000).size());
        assertEquals(400, get("/api/v1/restarts?until=soon").statusCode());
    }

    @Test
    void prometheusTextOfARunningSandbox() throws Exception {
        HttpResponse<String> r = get("/api/v1/sandboxes/sbx-a/prometheus");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String t = r.body();
        assertTrue(t.contains("# HELP microsandbox_memory_usage_bytes Guest memory in use\n# TYPE microsandbox_memory_usage_bytes gauge\n"
                + "microsandbox_memory_usage_bytes{instance=\"host1\",job=\"microsandbox\",sandbox_id=\"1\",sandbox_name=\"sbx-a\"} 268435456\n"), t);
        assertTrue(t.contains("microsandbox_sandbox_run_info{instance=\"host1\",job=\"microsandbox\",pid=\"101\",run_id=\"2\",sandbox_id=\"1\",sandbox_name=\"sbx-a\"} 1\n"), t);
        assertFalse(t.contains("run_id=\"1\""), "the old run's info is not current: " + t);
        assertFalse(t.contains("microsandbox_upper_used_bytes"), "not reported, not printed");
        HttpResponse<String> stopped = get("/api/v1/sandboxes/sbx-b/prometheus");
        assertEquals(404, stopped.statusCode());
        assertTrue(stopped.body().contains("sandbox \\\"sbx-b\\\" is not running"), stopped.body());
    }

    @Test
    void agentFiguresCountRequestsPerEndpoint() throws Exception {
        for (int i = 0; i < 3; i++) {
            get("/api/v1/sandboxes/sbx-a");
        }
        get("/api/v1/sandboxes/sbx-nope");
        JsonNode a = data("/api/v1/status/agent");
        assertTrue(a.get("uptime_seconds").asDouble() > 0);
        assertTrue(a.get("total_requests").asLong() >= 4);
        assertTrue(a.get("error_count").asLong() >= 1);
        assertEquals(1, a.get("active_requests").asInt(), "this request itself");
        JsonNode one = a.get("endpoints").get("sandbox");
        assertNotNull(one, a.toString());
        assertTrue(one.get("requests_total").asLong() >= 4);
        assertTrue(one.get("p95_duration_ms").asDouble() > 0);
        assertTrue(one.get("avg_duration_ms").asDouble() > 0);
        String metrics = get("/metrics").body();
        assertTrue(metrics.contains("sandglass_agent_endpoint_requests_total{endpoint=\"sandbox\"} "), metrics);
        assertTrue(metrics.contains("sandglass_agent_endpoint_p95_duration_milliseconds{endpoint=\"sandbox\"} "), metrics);
        assertTrue(metrics.contains("# TYPE sandglass_agent_requests_total counter\nsandglass_agent_requests_total "), metrics);
    }
}
