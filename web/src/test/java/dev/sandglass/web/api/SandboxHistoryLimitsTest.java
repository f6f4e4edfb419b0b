package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.query.sandbox.HistoryReader;
import dev.sandglass.query.sandbox.SandboxField;
import dev.sandglass.query.sandbox.TooManyPointsException;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history's size rules: a stepped answer holds at most 11,000 points (400 naming a step that
 * fits), a raw one (no step) every stored sample up to 100,000, sent in pieces (chunked) and whole.
 */
class SandboxHistoryLimitsTest {
    static final int SAMPLES = 12_000;

    @TempDir
    Path tmp;

    @Test
    void rawAnswersOverTheSteppedLimitComeWholeInPiecesSteppedOnesSayWhichStepFits() throws Exception {
        long t0 = (System.currentTimeMillis() - 4 * 3_600_000L) / 1000 * 1000;
        try (Db db = Db.open(DbOptions.defaults(tmp.resolve("data")))) {
            Appender a = db.appender();
            Labels base = Labels.of("sandbox_name", "sbx-long", "sandbox_id", "3");
            long up = a.seriesRef(base.builder().set("__name__", SandboxField.UPTIME_SECONDS.metric()).build());
            long mem = a.seriesRef(base.builder().set("__name__", SandboxField.MEMORY_BYTES.metric()).build());
            long rx = a.seriesRef(base.builder().set("__name__", SandboxField.NET_RX_BYTES.metric()).build());
            for (int i = 0; i < SAMPLES; i++) {
                long t = t0 + i * 1000L;
                a.append(up, t, i);
                a.append(mem, t, 1_000_000 + i);
                a.append(rx, t, 500.0 * i);
            }
            a.commit();
            ApiHandlers h = new ApiHandlers(() -> db, new EngineQueryService(EngineOptions.defaults()),
                    new ApiHandlers.Options(60_000, 2, "0.1.0", "abc", "2026-11-29"), List.of());
            try (ApiServer server = ApiServer.start("127.0.0.1", 0, h)) {
                HttpClient http = HttpClient.newHttpClient();
                String base0 = "http://127.0.0.1:" + server.port() + "/api/v1/sandboxes/sbx-long/metrics";
                HttpResponse<String> raw = http.send(HttpRequest.newBuilder(URI.create(base0)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, raw.statusCode(), raw.body());
                assertTrue(raw.body().length() > 2 * SandboxJson.CHUNK_BYTES, "big enough to be sent in pieces: " + raw.body().length());
                assertTrue(raw.headers().firstValue("content-length").isEmpty(), "chunked, not held whole: " + raw.headers().map());
                // Counted and the last point parsed alone (a JSON tree of 10 MB would make the test slow).
                String body = raw.body();
                assertTrue(body.startsWith("{\"status\":\"success\",\"data\":{\"name\":\"sbx-long\","), body.substring(0, 80));
                assertTrue(body.endsWith("],\"gaps\":[],\"restarts\":[]}}"), body.substring(body.length() - 80));
                assertEquals(SAMPLES, body.split("\\{\"timestamp\":", -1).length - 1);
                int at = body.lastIndexOf("{\"timestamp\":");
                JsonNode last = JsonNode.parse(body.substring(at, body.indexOf('}', at) + 1));
                assertEquals(SAMPLES - 1.0, last.get("uptime_seconds").asDouble());
                assertEquals(1_000_000.0 + SAMPLES - 1, last.get("memory_bytes").asDouble());
                assertEquals(500.0, last.get("net_rx_bytes_per_second").asDouble(), 1e-9);

                HttpResponse<String> stepped = http.send(HttpRequest.newBuilder(URI.create(base0 + "?step=1s&start=" + t0 / 1000 + "&end="
                        + (t0 / 1000 + SAMPLES - 1))).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(400, stepped.statusCode(), stepped.body());
                assertTrue(stepped.body().contains("invalid parameter \\\"step\\\": exceeded maximum resolution of 11,000 points per series"
                        + " (12,000 asked for); try step=2s"), stepped.body());
            }
            // Over the raw limit: a 400 naming a step that fits the stepped limit.
            TooManyPointsException e = assertThrows(TooManyPointsException.class,
                    () -> new HistoryReader(db, 11_000, 10_000).read("sbx-long", null, t0 + SAMPLES * 1000L, 0));
            assertEquals("exceeded maximum of 10,000 raw samples per answer (12,000 in range); try step=2s or a shorter range", e.getMessage());
        }
    }
}
