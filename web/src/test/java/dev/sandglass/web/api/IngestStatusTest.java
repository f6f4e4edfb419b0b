package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.ingest.source.SourceHealth;
import dev.sandglass.ingest.source.SourceHealthSet;
import dev.sandglass.storage.head.HeadBudget;
import dev.sandglass.storage.jobs.LoopGuard;
import dev.sandglass.storage.mem.MemStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A background loop that fails (here out of heap) makes /-/ready answer 503 naming the loop and
 * its cause, and /api/v1/status/ingest list it with the sources' health; once the loop works
 * again both say so.
 */
class IngestStatusTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(ApiServer s, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFailingLoopIsReportedUntilItWorksAgain() throws Exception {
        String name = "test-collect-" + System.nanoTime();
        LoopGuard guard = LoopGuard.named(name);
        // Only this test's loop counts: others in this JVM may have failed in their own tests.
        java.util.function.Supplier<List<String>> degraded = () -> LoopGuard.degraded().stream().filter(r -> r.startsWith(name)).toList();
        SourceHealthSet sources = new SourceHealthSet();
        SourceHealth target = sources.register("scrape", "http://127.0.0.1:1/metrics");
        target.failed("out_of_memory", "out of heap while scraping");
        ApiHandlers h = new ApiHandlers(MemStorage::new, new ApiServerTest.FakeEngine(),
                new ApiHandlers.Options(60_000, 2, "0.1.0", "abc", "2026-11-23"), List.of());
        h.degraded(degraded);
        HeadBudget head = new HeadBudget(32L << 20);
        try (ApiServer server = ApiServer.start("127.0.0.1", 0, h, router -> IngestStatusRoutes.register(router, sources, head, degraded))) {
            assertEquals(200, get(server, "/-/ready").statusCode());

            guard.failed(new OutOfMemoryError("Java heap space"));
            var ready = get(server, "/-/ready");
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().startsWith("Service Unavailable\ndegraded: " + name + ": java.lang.OutOfMemoryError: Java heap space (1 failures in a row"),
                    ready.body());
            assertEquals(200, get(server, "/-/healthy").statusCode(), "the process is alive: only readiness fails");
            String status = get(server, "/api/v1/status/ingest").body();
            assertTrue(status.startsWith("{\"status\":\"success\",\"data\":{\"degraded\":[\"" + name + ": java.lang.OutOfMemoryError"), status);
            assertTrue(status.contains("{\"loop\":\"" + name + "\",\"up\":false,\"consecutive_failures\":1,\"failures\":1,\"out_of_memory\":1}"), status);
            assertTrue(status.contains("{\"kind\":\"scrape\",\"target\":\"http://127.0.0.1:1/metrics\",\"up\":false,\"last_success_ms\":0,"
                    + "\"attempts\":1,\"last_error\":\"out of heap while scraping\"}"), status);
            assertTrue(status.contains("\"head\":{\"bytes\":0,\"limit_bytes\":33554432,\"early_seals\":0}"), status);

            guard.succeeded();
            assertEquals(200, get(server, "/-/ready").statusCode(), "ready again once the loop works");
            assertTrue(get(server, "/api/v1/status/ingest").body().contains("\"degraded\":[]"));
        }
    }
}
