package dev.sandglass.web.api;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.PackedConcurrentHistogram;

/**
 * Sandglass's own API figures in the shape sandbox agents report theirs: uptime, requests in total
 * and in flight, errors (status 400 and up), and per endpoint the count, mean and 95th percentile
 * duration. Durations go into an HdrHistogram per endpoint (microseconds, 3 significant digits),
 * the packed kind: it holds only the buckets in use (a few KB), where the plain one held 370 KB an
 * endpoint up front (two arrays of 23,000 longs; 1.1 MB of a serve's live heap after three endpoints).
 */
public final class AgentStats {
    private static final long START_MS = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    private static final long MAX_MICROS = 3_600_000_000L;

    private static final class Endpoint {
        final LongAdder requests = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final PackedConcurrentHistogram micros = new PackedConcurrentHistogram(MAX_MICROS, 3);
    }

    /** One endpoint's figures. */
    public record EndpointFigures(long requests, double avgMs, double p95Ms) {
    }

    private final LongAdder total = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicInteger active = new AtomicInteger();
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    void started() {
        active.incrementAndGet();
    }

    void finished() {
        active.decrementAndGet();
    }

    void record(String endpoint, int status, long nanos) {
        total.increment();
        if (status >= 400) {
            errors.increment();
        }
        Endpoint e = endpoints.computeIfAbsent(endpoint, k -> new Endpoint());
        e.requests.increment();
        e.nanos.add(nanos);
        e.micros.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1000)));
    }

    public double uptimeSeconds() {
        return (System.currentTimeMillis() - START_MS) / 1000.0;
    }

    public long totalRequests() {
        return total.sum();
    }

    public int activeRequests() {
        return active.get();
    }

    public long errorCount() {
        return errors.sum();
    }

    public Map<String, EndpointFigures> endpoints() {
        Map<String, EndpointFigures> out = new TreeMap<>();
        for (Map.Entry<String, Endpoint> e : endpoints.entrySet()) {
            Endpoint x = e.getValue();
            long n = x.requests.sum();
            out.put(e.getKey(), new EndpointFigures(n, n == 0 ? 0 : x.nanos.sum() / 1e6 / n, x.micros.getValueAtPercentile(95) / 1000.0));
        }
        return out;
    }

    void writeJson(JsonWriter w) {
        w.beginObject();
        w.name("uptime_seconds").raw(PromFormat.value(Math.round(uptimeSeconds() * 1000) / 1000.0));
        w.name("total_requests").value(totalRequests());
        w.name("active_requests").value(activeRequests());
        w.name("error_count").value(errorCount());
        w.name("endpoints").beginObject();
        for (Map.Entry<String, EndpointFigures> e : endpoints().entrySet()) {
            w.name(e.getKey()).beginObject()
                    .name("requests_total").value(e.getValue().requests())
                    .name("avg_duration_ms").raw(PromFormat.value(round3(e.getValue().avgMs())))
                    .name("p95_duration_ms").raw(PromFormat.value(round3(e.getValue().p95Ms())))
                    .endObject();
        }
        w.endObject().endObject();
    }

    void writePrometheusText(StringBuilder sb) {
        sb.append("# HELP sandglass_agent_uptime_seconds Seconds since Sandglass started.\n# TYPE sandglass_agent_uptime_seconds gauge\n");
        sb.append("sandglass_agent_uptime_seconds ").append(PromFormat.value(uptimeSeconds())).append('\n');
        sb.append("# HELP sandglass_agent_requests_total API requests answered.\n# TYPE sandglass_agent_requests_total counter\n");
        sb.append("sandglass_agent_requests_total ").append(totalRequests()).append('\n');
        sb.append("# HELP sandglass_agent_active_requests API requests being answered now.\n# TYPE sandglass_agent_active_requests gauge\n");
        sb.append("sandglass_agent_active_requests ").append(activeRequests()).append('\n');
        sb.append("# HELP sandglass_agent_errors_total API requests answered with status 400 or above.\n# TYPE sandglass_agent_errors_total counter\n");
        sb.append("sandglass_agent_errors_total ").append(errorCount()).append('\n');
        Map<String, EndpointFigures> all = endpoints();
        sb.append("# HELP sandglass_agent_endpoint_requests_total API requests answered, by endpoint.\n");
        sb.append("# TYPE sandglass_agent_endpoint_requests_total counter\n");
        for (Map.Entry<String, EndpointFigures> e : all.entrySet()) {
            sb.append("sandglass_agent_endpoint_requests_total{endpoint=\"").append(e.getKey()).append("\"} ").append(e.getValue().requests()).append('\n');
        }
        sb.append("# HELP sandglass_agent_endpoint_avg_duration_milliseconds Mean time to answer, by endpoint.\n");
        sb.append("# TYPE sandglass_agent_endpoint_avg_duration_milliseconds gauge\n");
        for (Map.Entry<String, EndpointFigures> e : all.entrySet()) {
            sb.append("sandglass_agent_endpoint_avg_duration_milliseconds{endpoint=\"").append(e.getKey()).append("\"} ")
                    .append(PromFormat.value(e.getValue().avgMs())).append('\n');
        }
        sb.append("# HELP sandglass_agent_endpoint_p95_duration_milliseconds 95th percentile time to answer (HdrHistogram), by endpoint.\n");
        sb.append("# TYPE sandglass_agent_endpoint_p95_duration_milliseconds gauge\n");
        for (Map.Entry<String, EndpointFigures> e : all.entrySet()) {
            sb.append("sandglass_agent_endpoint_p95_duration_milliseconds{endpoint=\"").append(e.getKey()).append("\"} ")
                    .append(PromFormat.value(e.getValue().p95Ms())).append('\n');
        }
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
