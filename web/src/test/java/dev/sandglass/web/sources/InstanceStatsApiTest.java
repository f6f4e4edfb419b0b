package dev.sandglass.web.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.ingest.proc.ProcFs;
import dev.sandglass.ingest.proc.VmmSource;
import dev.sandglass.ingest.proc.VmmSpec;
import dev.sandglass.ingest.source.SourceHealthSet;
import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.web.api.ApiHandlers;
import dev.sandglass.web.api.ApiServer;
import dev.sandglass.web.api.EngineQueryService;
import dev.sandglass.web.api.InstanceRoutes;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /api/v1/instances/{name}/stats over HTTP, for a real process collected by the /proc source. */
class InstanceStatsApiTest {
    @TempDir
    Path tmp;

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void hypemanShapeFromTheStore() throws Exception {
        Process p = new ProcessBuilder("sleep", "600").start();
        try (Db db = Db.open(DbOptions.defaults(tmp.resolve("data")))) {
            VmmSource src = new VmmSource(List.of(VmmSpec.parse("pid=" + p.pid() + ",name=vm-a,vcpus=2,memory=1GiB"),
                    VmmSpec.parse("pid=" + p.pid() + ",name=vm-b")), false, ProcFs.system(), db, 1000, "h", new SourceHealthSet());
            src.collectOnce();
            ApiHandlers h = new ApiHandlers(() -> db, new EngineQueryService(new EngineOptions(300_000, 60_000, 1000, 60_000)),
                    new ApiHandlers.Options(60_000, 2, "0.1.0", "x", "y"), List.of());
            try (ApiServer server = ApiServer.start("127.0.0.1", 0, h, r -> InstanceRoutes.register(r, () -> db))) {
                HttpResponse<String> r = get(server.port(), "/api/v1/instances/vm-a/stats");
                assertEquals(200, r.statusCode(), r.body());
                JsonObject o = new JsonObject(r.body());
                assertEquals(List.of("allocated_memory_bytes", "allocated_vcpus", "cpu_seconds", "instance_id", "instance_name",
                        "memory_rss_bytes", "memory_utilization_ratio", "memory_vms_bytes", "network_rx_bytes", "network_tx_bytes"),
                        List.copyOf(o.fieldNames()));
                assertEquals(1L << 30, o.getLong("allocated_memory_bytes"));
                assertEquals(2, o.getInteger("allocated_vcpus"));
                assertEquals("vm-a", o.getString("instance_name"));
                assertEquals(Long.toString(p.pid()), o.getString("instance_id"));
                long rss = o.getLong("memory_rss_bytes");
                assertTrue(rss > 0 && o.getLong("memory_vms_bytes") >= rss, r.body());
                assertEquals(rss / (double) (1L << 30), o.getDouble("memory_utilization_ratio"), 1e-12);
                assertTrue(o.getValue("network_rx_bytes") == null, "no tap: null, not 0");

                JsonObject b = new JsonObject(get(server.port(), "/api/v1/instances/vm-b/stats").body());
                assertTrue(b.containsKey("memory_utilization_ratio") && b.getValue("memory_utilization_ratio") == null,
                        "no allocated memory: the ratio is null");
                assertTrue(b.getValue("allocated_memory_bytes") == null);

                // The sandbox views show the instance next to microsandbox sandboxes, from the same store.
                HttpResponse<String> fleet = get(server.port(), "/api/v1/sandboxes");
                assertEquals(200, fleet.statusCode(), fleet.body());
                assertTrue(fleet.body().contains("\"vm-a\"") && fleet.body().contains("\"vm-b\""), fleet.body());
                HttpResponse<String> one = get(server.port(), "/api/v1/sandboxes/vm-a");
                assertEquals(200, one.statusCode(), one.body());
                assertTrue(one.body().contains("\"memory_bytes\":" + rss), one.body());

                HttpResponse<String> missing = get(server.port(), "/api/v1/instances/nope/stats");
                assertEquals(404, missing.statusCode());
                assertTrue(missing.body().contains("no VMM instance named \\\"nope\\\""), missing.body());

                p.destroy();
                p.waitFor(5, TimeUnit.SECONDS);
                src.collectOnce();
                assertEquals(404, get(server.port(), "/api/v1/instances/vm-a/stats").statusCode(), "an exited instance has no current stats");
            }
        } finally {
            p.destroyForcibly();
        }
    }
}
