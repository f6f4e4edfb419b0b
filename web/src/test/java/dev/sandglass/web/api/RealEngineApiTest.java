package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.mem.MemStorage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API with the real engine: answers, the samples limit as an execution error, and gzip. */
class RealEngineApiTest {
    static ApiServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        MemStorage store = new MemStorage();
        Appender a = store.appender();
        for (int s = 0; s < 50; s++) {
            long ref = a.seriesRef(Labels.of("__name__", "load", "sandbox_name", "s" + s));
            for (int i = 0; i <= 100; i++) {
                a.append(ref, i * 1000L, i);
            }
        }
        a.commit();
        // 1000 samples at most: a range query over all 50 series at every second exceeds it.
        ApiHandlers h = new ApiHandlers(() -> store, new EngineQueryService(new EngineOptions(300_000, 60_000, 1000, 60_000)),
                new ApiHandlers.Options(60_000, 2, "0.1.0", "abc", "2026-11-23"), List.of());
        server = ApiServer.start("127.0.0.1", 0, h);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<byte[]> get(String query, boolean gzip) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + query));
        if (gzip) {
            b.header("Accept-Encoding", "gzip");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void realAnswers() throws Exception {
        var r = get("/api/v1/query?query=" + enc("vector(1)") + "&time=100", false);
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[100,\"1\"]}]}}",
                new String(r.body(), StandardCharsets.UTF_8));
        var s = get("/api/v1/query?query=" + enc("sum(load)") + "&time=50.5", false);
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[50.5,\"2500\"]}]}}",
                new String(s.body(), StandardCharsets.UTF_8));
    }

    @Test
    void tooManySamplesIsAnExecutionErrorAndTheServerLives() throws Exception {
        var r = get("/api/v1/query_range?query=load&start=0&end=100&step=1", false);
        assertEquals(422, r.statusCode());
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(body.startsWith("{\"status\":\"error\",\"errorType\":\"execution\""), body);
        assertEquals(200, get("/api/v1/query?query=" + enc("vector(1)"), false).statusCode());
    }

    @Test
    void gzipWhenAccepted() throws Exception {
        var r = get("/api/v1/query?query=load&time=10", true);
        assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(""));
        String body = new String(new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(body.startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\""), body);
        assertTrue(get("/api/v1/query?query=load&time=10", false).headers().firstValue("Content-Encoding").isEmpty());
    }
}
