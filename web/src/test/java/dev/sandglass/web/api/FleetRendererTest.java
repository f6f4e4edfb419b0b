package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.sandbox.SandboxViews;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default fleet list rendered off the request path: rendered after the store changes (no time
 * passing), the same bytes a request computing its own answer gets, and nothing served before a
 * first request asked for it.
 */
class FleetRendererTest {
    @TempDir
    Path tmp;

    @Test
    void rendersAfterEachChangeTheBytesARequestWouldCompute() throws Exception {
        try (Db db = Db.open(DbOptions.defaults(tmp.resolve("data")))) {
            long t0 = (System.currentTimeMillis() - 300_000) / 1000 * 1000;
            SandboxFleetScript script = SandboxFleetScript.run(tmp.resolve("shm"), db, t0);
            // A clock that stands still: every render below is caused by a change of the store, not by time.
            AtomicLong clock = new AtomicLong(script.at(SandboxFleetScript.SECONDS));
            SandboxViews views = new SandboxViews(db);
            try (FleetRenderer r = new FleetRenderer(views, new FleetJson(), db::changeCount, clock::get)) {
                assertEquals(null, r.current(), "nothing rendered before anyone asked");
                String first = await(r, body -> true);
                assertEquals(computed(db, clock.get()), first, "the bytes a request computing its answer gets");
                assertTrue(first.contains("\"name\":\"sbx-a\"") && !first.contains("sbx-new"), first);

                long before = db.changeCount();
                Appender app = db.appender();
                app.append(app.seriesRef(Labels.of("__name__", "microsandbox_uptime_seconds", "sandbox_name", "sbx-new", "sandbox_id", "9")),
                        clock.get() - 500, 12);
                app.commit();
                assertNotEquals(before, db.changeCount());
                String next = await(r, body -> body.contains("sbx-new"));
                assertEquals(computed(db, clock.get()), next);
                assertTrue(next.contains("{\"name\":\"sbx-new\",\"state\":\"running\""), next);
                assertFalse(next.equals(first));
            }
        }
    }

    /** Over HTTP: the default list is served from the renderer, compressed once for clients that accept gzip, the same JSON either way. */
    @Test
    void servedAsRenderedAndGzippedOnceForClientsThatAcceptIt() throws Exception {
        try (Db db = Db.open(DbOptions.defaults(tmp.resolve("data")))) {
            long t0 = (System.currentTimeMillis() - 300_000) / 1000 * 1000;
            SandboxFleetScript.run(tmp.resolve("shm"), db, t0);
            ApiHandlers h = new ApiHandlers(() -> db, new EngineQueryService(dev.sandglass.query.engine.EngineOptions.defaults()),
                    new ApiHandlers.Options(60_000, 2, "0.1.0", "abc", "2026-11-29"), java.util.List.of());
            try (ApiServer server = ApiServer.start("127.0.0.1", 0, h)) {
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
                java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + server.port() + "/api/v1/sandboxes");
                String plain = http.send(java.net.http.HttpRequest.newBuilder(uri).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(plain.startsWith("{\"status\":\"success\",\"data\":[{\"name\":\"sbx-a\""), plain);
                java.net.http.HttpRequest gz = java.net.http.HttpRequest.newBuilder(uri).header("Accept-Encoding", "gzip").build();
                long deadline = System.nanoTime() + 20_000_000_000L;
                java.net.http.HttpResponse<byte[]> res;
                // The first asks for it; the renderer compresses from its next answer on. Until the
                // renderer has an answer, a request computes its own (the server's compressor gzips
                // that one): so wait for a gzipped answer after the renderer has rendered.
                do {
                    res = http.send(gz, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                    assertEquals(200, res.statusCode());
                } while ((res.headers().firstValue("Content-Encoding").isEmpty() || server.fleetRendererRenders() == 0)
                        && System.nanoTime() < deadline);
                assertEquals("gzip", res.headers().firstValue("Content-Encoding").orElse(""));
                assertTrue(server.fleetRendererRenders() > 0);
                String unzipped = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(res.body())).readAllBytes(),
                        StandardCharsets.UTF_8);
                assertEquals(plain, unzipped);
                assertTrue(res.body().length * 2 < unzipped.length(), "compressed: " + res.body().length + " of " + unzipped.length());
            }
        }
    }

    private static String computed(Db db, long now) {
        return new FleetJson().body(new SandboxViews(db).fleet(now, FleetRenderer.DEFAULT_SINCE_MS)).toString(StandardCharsets.UTF_8);
    }

    /** The rendered answer once it satisfies {@code ok} (the renderer is a background thread: waits for it, up to 20 s). */
    private static String await(FleetRenderer r, Predicate<String> ok) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            Buffer b = r.current();
            if (b != null && ok.test(b.toString(StandardCharsets.UTF_8))) {
                return b.toString(StandardCharsets.UTF_8);
            }
            Thread.sleep(5);
        }
        Buffer b = r.current();
        assertNotNull(b, "no answer rendered in 20 s");
        return b.toString(StandardCharsets.UTF_8);
    }
}
