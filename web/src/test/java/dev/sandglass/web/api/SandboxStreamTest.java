package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.ingest.collect.Collector;
import dev.sandglass.ingest.registry.Layout;
import dev.sandglass.ingest.registry.RegistryLocator;
import dev.sandglass.ingest.registry.RegistryReader;
import dev.sandglass.ingest.registry.RegistryWriter;
import dev.sandglass.ingest.registry.SlotSnapshot;
import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSE stream read by a real HTTP client while a live registry is collected every 100 ms by
 * the real collector: points, a restart event when the run changes (the stream survives the
 * moment the collector marks the series stale between runs), a stop event, then the end.
 */
class SandboxStreamTest {
    @TempDir
    Path tmp;

    private record Live(RegistryWriter writer, RegistryReader reader, Collector collector, Appender app, List<SlotSnapshot> slots) {
        void sample(long cpuMib) {
            RegistryWriter.Sample x = new RegistryWriter.Sample();
            x.sampledAt = System.currentTimeMillis();
            x.flags = Layout.F_CPU | Layout.F_MEMORY_USED;
            x.memoryLimit = 1L << 30;
            x.memoryBytes = cpuMib << 20;
            x.cpuPercent = 2.5f;
            writer.writeSample(0, x);
            collect();
        }

        void collect() {
            reader.read(slots);
            collector.collect(slots, app, System.currentTimeMillis());
            app.commit();
        }
    }

    @Test
    void streamCarriesPointsARestartAndTheStopThenEnds() throws Exception {
        RegistryLocator loc = new RegistryLocator(tmp.resolve("home").toString(), "--msb-home", tmp.resolve("shm"));
        try (Db db = Db.open(DbOptions.defaults(tmp.resolve("data")));
             RegistryWriter w = RegistryWriter.create(loc.path(), 2);
             RegistryReader reader = new RegistryReader(loc, 1000)) {
            Live live = new Live(w, reader, new Collector("host1", false), db.appender(), new ArrayList<>());
            w.activate(0, 9, 1, 900, System.currentTimeMillis(), "sbx-live");
            live.sample(100);
            ApiHandlers h = new ApiHandlers(() -> db, new EngineQueryService(EngineOptions.defaults()),
                    new ApiHandlers.Options(60_000, 2, "0.1.0", "abc", "2026-11-29"), List.of());
            try (ApiServer server = ApiServer.start("127.0.0.1", 0, h)) {
                HttpClient http = HttpClient.newHttpClient();
                HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/v1/sandboxes/sbx-live/stream?interval=100ms")).build();
                HttpResponse<Stream<String>> res = http.send(req, HttpResponse.BodyHandlers.ofLines());
                assertEquals(200, res.statusCode());
                assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
                CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> res.body().toList());
                for (int i = 0; i < 8; i++) {
                    Thread.sleep(100);
                    live.sample(100 + i);
                }
                w.restart(0, 2, 901, System.currentTimeMillis());
                Thread.sleep(100);
                live.collect(); // no sample yet: the collector marks the series stale
                Thread.sleep(300);
                for (int i = 0; i < 8; i++) {
                    live.sample(50 + i);
                    Thread.sleep(100);
                }
                w.stop(0);
                live.collect();
                List<String> got = lines.get(STREAM_END_WAIT_MS, TimeUnit.MILLISECONDS);
                List<String> events = got.stream().filter(l -> l.startsWith("event: ")).map(l -> l.substring(7)).toList();
                assertEquals("point", events.get(0));
                assertEquals("stop", events.get(events.size() - 1), events.toString());
                assertEquals(1, events.stream().filter("restart"::equals).count(), events.toString());
                assertEquals(1, events.stream().filter("stop"::equals).count(), events.toString());
                assertTrue(events.stream().filter("point"::equals).count() >= 10, events.toString());
                String restart = got.get(got.indexOf("event: restart") + 1);
                assertTrue(restart.startsWith("data: {\"sandbox_name\":\"sbx-live\""), restart);
                assertTrue(restart.contains("\"old_run_id\":1,\"new_run_id\":2"), restart);
                String stop = got.get(got.lastIndexOf("event: stop") + 1);
                assertTrue(stop.contains("\"latest\":{\"timestamp\""), stop);
                assertTrue(stop.contains("\"run_id\":2"), stop);
                assertTrue(stop.contains("\"memory_bytes\":" + (57L << 20)), "the last point before the stop: " + stop);
                // The stream ended: the client saw the end of the body; the hub forgot the subscriber.
                assertEquals(0, server.sandboxHub().subscribers());
            }
        }
    }

    private static final long STREAM_END_WAIT_MS = dev.sandglass.query.sandbox.LatestHub.STOP_GRACE_MS + 10_000;
}
