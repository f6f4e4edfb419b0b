package dev.sandglass.ingest.source;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every source's health, written to /metrics as one family per metric. */
public final class SourceHealthSet {
    private final List<SourceHealth> sources = new CopyOnWriteArrayList<>();

    public SourceHealth register(String kind, String name) {
        SourceHealth h = new SourceHealth(kind, name);
        sources.add(h);
        return h;
    }

    public List<SourceHealth> all() {
        return List.copyOf(sources);
    }

    /** Prometheus text exposition (nothing when no source is configured). */
    public void writePrometheusText(StringBuilder out) {
        if (sources.isEmpty()) {
            return;
        }
        family(out, SourceHealth.UP, "gauge", "1 when the source's last attempt succeeded.");
        family(out, SourceHealth.LAST_SUCCESS, "gauge", "Unix time of the source's last success (0: never).");
        family(out, SourceHealth.ATTEMPTS, "counter", "Attempts to read the source.");
        family(out, SourceHealth.FAILURES, "counter", "Failed attempts to read the source, by reason.");
    }

    private void family(StringBuilder out, String metric, String type, String help) {
        out.append("# HELP ").append(metric).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(metric).append(' ').append(type).append('\n');
        for (SourceHealth h : sources) {
            h.writeSamples(out, metric);
        }
    }
}
