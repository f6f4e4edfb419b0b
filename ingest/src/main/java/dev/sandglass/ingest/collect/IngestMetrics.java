package dev.sandglass.ingest.collect;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The collect loop's own metrics (sandglass_ingest_*), shown at /metrics and stored with every
 * collection, so a gap in ingest is visible in the history itself.
 */
public final class IngestMetrics {
    private final AtomicLong collections = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private volatile long lastSuccessMs;
    private volatile long lastDurationNanos;
    private final AtomicLong durationNanosSum = new AtomicLong();
    private volatile int sandboxes;
    /** When the loop started (0: not running) and its interval: readiness expects collections. */
    private volatile long startedMs;
    private volatile long intervalMs;
    /** The last collection that stored its batch, or found nothing to collect (a registry-side failure). */
    private volatile long lastProgressMs;
    private long[] refs;

    void collected(int samplesAdded, long durationNanos, int sandboxesSeen, long nowMs) {
        collections.incrementAndGet();
        samples.addAndGet(samplesAdded);
        lastDurationNanos = durationNanos;
        durationNanosSum.addAndGet(durationNanos);
        lastSuccessMs = nowMs;
        sandboxes = sandboxesSeen;
    }

    void started(long nowMs, long interval) {
        startedMs = nowMs;
        intervalMs = interval;
    }

    void progressed(long nowMs) {
        lastProgressMs = nowMs;
    }

    /** Collections the loop may miss before readiness fails: a few, and at least 10 s. */
    static final int STALL_INTERVALS = 5;
    static final long STALL_MIN_MS = 10_000;

    /**
     * Whether collection has stalled: the loop runs, yet for several intervals no collection stored
     * its batch (a full disk, a failing store, an Error) nor was told by the registry that there
     * was nothing to store. /-/ready answers 503 then.
     */
    public boolean stalled(long nowMs) {
        long started = startedMs;
        if (started == 0) {
            return false;
        }
        long since = Math.max(started, lastProgressMs);
        return nowMs - since > Math.max(STALL_MIN_MS, STALL_INTERVALS * intervalMs);
    }

    void failed(String reason, long durationNanos) {
        collections.incrementAndGet();
        failures.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
        lastDurationNanos = durationNanos;
        durationNanosSum.addAndGet(durationNanos);
    }

    public long collections() {
        return collections.get();
    }

    public long samples() {
        return samples.get();
    }

    public long failures() {
        return failures.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public int sandboxes() {
        return sandboxes;
    }

    public long lastSuccessMs() {
        return lastSuccessMs;
    }

    /** Prometheus text exposition of these metrics. */
    public void writePrometheusText(StringBuilder out) {
        out.append("# HELP sandglass_ingest_collections_total Registry collections attempted.\n");
        out.append("# TYPE sandglass_ingest_collections_total counter\n");
        out.append("sandglass_ingest_collections_total ").append(collections.get()).append('\n');
        out.append("# HELP sandglass_ingest_samples_total Samples stored by the collect loop.\n");
        out.append("# TYPE sandglass_ingest_samples_total counter\n");
        out.append("sandglass_ingest_samples_total ").append(samples.get()).append('\n');
        out.append("# HELP sandglass_ingest_failures_total Collections that failed, by reason.\n");
        out.append("# TYPE sandglass_ingest_failures_total counter\n");
        for (var e : new TreeMap<>(failures).entrySet()) {
            out.append("sandglass_ingest_failures_total{reason=\"").append(e.getKey()).append("\"} ").append(e.getValue().get()).append('\n');
        }
        out.append("# HELP sandglass_ingest_last_success_timestamp_seconds Unix time of the last successful collection.\n");
        out.append("# TYPE sandglass_ingest_last_success_timestamp_seconds gauge\n");
        out.append("sandglass_ingest_last_success_timestamp_seconds ").append(lastSuccessMs / 1000.0).append('\n');
        out.append("# HELP sandglass_ingest_collection_duration_seconds Time to read the registry and make the snapshot durable.\n");
        out.append("# TYPE sandglass_ingest_collection_duration_seconds summary\n");
        out.append("sandglass_ingest_collection_duration_seconds_sum ").append(durationNanosSum.get() / 1e9).append('\n');
        out.append("sandglass_ingest_collection_duration_seconds_count ").append(collections.get()).append('\n');
        out.append("# HELP sandglass_ingest_sandboxes Sandboxes active in the last collection.\n");
        out.append("# TYPE sandglass_ingest_sandboxes gauge\n");
        out.append("sandglass_ingest_sandboxes ").append(sandboxes).append('\n');
    }

    /** Stores the values as they will be once this collection commits, as samples at {@code tMs} (job="sandglass"). */
    void appendTo(Appender app, String instance, long tMs, int samplesAdded, int sandboxesSeen) {
        String[] names = {"sandglass_ingest_collections_total", "sandglass_ingest_samples_total", "sandglass_ingest_failures_total",
            "sandglass_ingest_last_success_timestamp_seconds", "sandglass_ingest_collection_duration_seconds", "sandglass_ingest_sandboxes"};
        if (refs == null) {
            refs = new long[names.length];
            for (int i = 0; i < names.length; i++) {
                refs[i] = app.seriesRef(Labels.of(Labels.METRIC_NAME, names[i], "job", "sandglass", "instance", instance));
            }
        }
        double[] v = {collections.get() + 1, samples.get() + samplesAdded, failures(), tMs / 1000.0, lastDurationNanos / 1e9, sandboxesSeen};
        for (int i = 0; i < v.length; i++) {
            app.append(refs[i], tMs, v[i]);
        }
    }
}
