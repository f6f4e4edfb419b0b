package dev.sandglass.web.cli;

import dev.sandglass.ingest.collect.IngestMetrics;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.jobs.LoopGuard;
import java.util.ArrayList;
import java.util.List;

/**
 * What serve reports when ingest is not whole: background loops failing now (out of heap or any
 * other fault their guards caught, each retrying with backoff) and a stalled collection; /-/ready
 * answers 503 with these reasons and /api/v1/status/ingest lists them. Its /metrics part is the
 * loops' guards and the head against its budget.
 */
final class IngestHealth {
    private final IngestMetrics metrics;

    IngestHealth(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    List<String> degraded() {
        List<String> out = new ArrayList<>(LoopGuard.degraded());
        long now = System.currentTimeMillis();
        if (metrics.stalled(now)) {
            long last = metrics.lastSuccessMs();
            out.add("collect: no collection stored " + (last == 0 ? "since start" : "since " + java.time.Instant.ofEpochMilli(last))
                    + " (see sandglass_ingest_failures_total and the log)");
        }
        return out;
    }

    static String text(Db db) {
        StringBuilder out = new StringBuilder();
        db.headBudget().writePrometheusText(out);
        LoopGuard.writePrometheusText(out);
        return out.toString();
    }
}
