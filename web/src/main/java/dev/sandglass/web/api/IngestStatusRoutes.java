package dev.sandglass.web.api;

import dev.sandglass.ingest.source.SourceHealth;
import dev.sandglass.ingest.source.SourceHealthSet;
import dev.sandglass.storage.head.HeadBudget;
import dev.sandglass.storage.jobs.LoopGuard;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /api/v1/status/ingest}: whether ingest is whole, for the UI's header and for people:
 * {@code degraded} (the reasons /-/ready gives when it says 503), every background loop's guard
 * (up, failures by kind), every source's health (up, last success, last error) and the head
 * against its share of the heap (null when the server has no store of its own to report). In
 * Prometheus's envelope.
 */
public final class IngestStatusRoutes {
    private IngestStatusRoutes() {
    }

    public static void register(Router router, SourceHealthSet sources, HeadBudget head, Supplier<List<String>> degraded) {
        router.get("/api/v1/status/ingest").blockingHandler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
                .end(json(sources, head, degraded.get())), false);
    }

    /** The reasons as /-/ready prints them under "Service Unavailable", one a line. */
    static String reasonsText(List<String> reasons) {
        StringBuilder sb = new StringBuilder();
        for (String r : reasons) {
            sb.append("degraded: ").append(r).append('\n');
        }
        return sb.toString();
    }

    static String json(SourceHealthSet sources, HeadBudget head, List<String> degraded) {
        StringBuilder sb = new StringBuilder(512);
        JsonWriter w = new JsonWriter(sb).beginObject().field("status", "success").name("data").beginObject();
        w.name("degraded").beginArray();
        degraded.forEach(w::value);
        w.endArray();
        w.name("loops").beginArray();
        for (LoopGuard g : LoopGuard.all()) {
            w.beginObject().field("loop", g.name()).name("up").raw(g.consecutiveFailures() == 0 ? "true" : "false")
                    .name("consecutive_failures").value(g.consecutiveFailures())
                    .name("failures").value(g.failures()).name("out_of_memory").value(g.outOfMemoryErrors()).endObject();
        }
        w.endArray();
        w.name("sources").beginArray();
        for (SourceHealth h : sources.all()) {
            w.beginObject().field("kind", h.kind()).field("target", h.name()).name("up").raw(h.up() ? "true" : "false")
                    .name("last_success_ms").value(h.lastSuccessMs()).name("attempts").value(h.attempts());
            String err = h.lastError();
            w.name("last_error");
            if (err == null) {
                w.raw("null");
            } else {
                w.value(err);
            }
            w.endObject();
        }
        w.endArray();
        w.name("head");
        if (head == null) {
            w.raw("null");
        } else {
            w.beginObject().name("bytes").value(head.heldBytes()).name("limit_bytes").value(head.limitBytes())
                    .name("early_seals").value(head.earlySeals()).endObject();
        }
        return w.endObject().endObject().buffer().toString();
    }
}
