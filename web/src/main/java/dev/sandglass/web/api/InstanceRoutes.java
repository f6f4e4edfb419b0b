package dev.sandglass.web.api;

import dev.sandglass.query.instances.InstanceStats;
import dev.sandglass.storage.api.Queryable;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/instances/{name}/stats}: a VMM instance's latest values in Hypeman's shape
 * (a bare JSON object, not Prometheus's envelope), from the store. 404 with a reason when no live
 * instance has that name.
 */
public final class InstanceRoutes {
    private InstanceRoutes() {
    }

    public static void register(Router router, Supplier<Queryable> store) {
        router.get("/api/v1/instances/:name/stats").blockingHandler(ctx -> stats(ctx, store), false);
    }

    private static void stats(RoutingContext ctx, Supplier<Queryable> store) {
        String name = ctx.pathParam("name");
        Queryable q = store.get();
        InstanceStats s = q == null ? null : InstanceStats.latest(q, name, System.currentTimeMillis());
        if (s == null) {
            StringBuilder sb = new StringBuilder();
            new JsonWriter(sb).beginObject().field("code", "not_found")
                    .field("message", "no VMM instance named \"" + name + "\" with data in the last 5 minutes (see --vmm, --vmm-discover)")
                    .endObject();
            ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json").end(sb.toString());
            return;
        }
        ctx.response().putHeader("Content-Type", "application/json").end(json(s));
    }

    static String json(InstanceStats s) {
        StringBuilder sb = new StringBuilder(320);
        JsonWriter w = new JsonWriter(sb).beginObject();
        number(w, "allocated_memory_bytes", s.allocatedMemoryBytes());
        number(w, "allocated_vcpus", s.allocatedVcpus());
        number(w, "cpu_seconds", s.cpuSeconds());
        w.field("instance_id", s.instanceId());
        w.field("instance_name", s.instanceName());
        number(w, "memory_rss_bytes", s.memoryRssBytes());
        number(w, "memory_utilization_ratio", s.memoryUtilizationRatio());
        number(w, "memory_vms_bytes", s.memoryVmsBytes());
        number(w, "network_rx_bytes", s.networkRxBytes());
        number(w, "network_tx_bytes", s.networkTxBytes());
        return w.endObject().buffer().toString();
    }

    private static void number(JsonWriter w, String name, Double v) {
        w.name(name);
        if (v == null) {
            w.raw("null");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            w.raw(Long.toString(v.longValue()));
        } else {
            w.raw(PromFormat.value(v));
        }
    }
}
