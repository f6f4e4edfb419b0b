package dev.sandglass.ingest.source;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of one source (a scrape target, a VMM process spec, an agent), reported the same way
 * for every kind: up, the time of the last success, and failures by reason. Shown at /metrics
 * (through {@link SourceHealthSet}) and stored with every attempt, so a gap in one source's data
 * explains itself in the history. A failure is logged once per distinct message, with what to do,
 * and once when the source recovers. Thread-safe.
 */
public final class SourceHealth {
    private static final Logger LOG = LoggerFactory.getLogger(SourceHealth.class);
    static final String UP = "sandglass_source_up";
    static final String LAST_SUCCESS = "sandglass_source_last_success_timestamp_seconds";
    static final String FAILURES = "sandglass_source_failures_total";
    static final String ATTEMPTS = "sandglass_source_attempts_total";

    private final String kind;
    private final String name;
    private final Map<String, Long> failures = new TreeMap<>();
    private long attempts;
    private boolean up;
    private long lastSuccessMs;
    private String lastError;
    private long[] refs;
    private final Map<String, Long> failureRefs = new TreeMap<>();
    private volatile boolean log = true;

    /** {@code kind}: scrape, vmm, agent...; {@code name}: the target, as the user wrote it. */
    public SourceHealth(String kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    /** For a source whose loop logs its failures itself (the registry): counts without a second log line. */
    public SourceHealth loggedElsewhere() {
        log = false;
        return this;
    }

    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public synchronized void succeeded(long nowMs) {
        attempts++;
        up = true;
        lastSuccessMs = nowMs;
        if (lastError != null) {
            if (log) {
                LOG.info("{} {}: working again", kind, name);
            }
            lastError = null;
        }
    }

    /**
     * Counts a failure under {@code reason} (a short word: connect, timeout, http_status, parse,
     * gone...) and logs {@code message} (what failed and what to do) when it differs from the last.
     */
    public synchronized void failed(String reason, String message) {
        attempts++;
        up = false;
        failures.merge(reason, 1L, Long::sum);
        if (!message.equals(lastError)) {
            if (log) {
                LOG.warn("{} {}: {}", kind, name, message);
            }
            lastError = message;
        }
    }

    public synchronized boolean up() {
        return up;
    }

    public synchronized long lastSuccessMs() {
        return lastSuccessMs;
    }

    public synchronized long failures(String reason) {
        return failures.getOrDefault(reason, 0L);
    }

    public synchronized long attempts() {
        return attempts;
    }

    /** The last failure's message while failing, else null. */
    public synchronized String lastError() {
        return lastError;
    }

    private Labels labels(String metric) {
        return Labels.of(Labels.METRIC_NAME, metric, "job", "sandglass", "source", kind, "target", name);
    }

    /** Appends the current values at {@code tMs} to the source's own batch (committed with its data). */
    public synchronized void appendTo(Appender app, long tMs) {
        if (refs == null) {
            refs = new long[] {app.seriesRef(labels(UP)), app.seriesRef(labels(LAST_SUCCESS)), app.seriesRef(labels(ATTEMPTS))};
        }
        app.append(refs[0], tMs, up ? 1 : 0);
        app.append(refs[1], tMs, lastSuccessMs / 1000.0);
        app.append(refs[2], tMs, attempts);
        for (var e : failures.entrySet()) {
            long ref = failureRefs.computeIfAbsent(e.getKey(), r -> app.seriesRef(labels(FAILURES).builder().set("reason", r).build()));
            app.append(ref, tMs, e.getValue());
        }
    }

    synchronized void writeSamples(StringBuilder out, String metric) {
        String sel = "{source=\"" + kind + "\",target=\"" + escape(name) + "\"";
        switch (metric) {
            case UP -> out.append(UP).append(sel).append("} ").append(up ? 1 : 0).append('\n');
            case LAST_SUCCESS -> out.append(LAST_SUCCESS).append(sel).append("} ")
                    .append(java.math.BigDecimal.valueOf(lastSuccessMs, 3).stripTrailingZeros().toPlainString()).append('\n');
            case ATTEMPTS -> out.append(ATTEMPTS).append(sel).append("} ").append(attempts).append('\n');
            default -> {
                for (var e : failures.entrySet()) {
                    out.append(FAILURES).append(sel).append(",reason=\"").append(e.getKey()).append("\"} ").append(e.getValue()).append('\n');
                }
            }
        }
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
