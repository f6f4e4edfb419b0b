package dev.sandglass.ingest.agent;

import dev.sandglass.ingest.source.SourceHealth;
import dev.sandglass.ingest.source.SourceHealthSet;
import dev.sandglass.ingest.source.SourceSpec;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Storage;
import dev.sandglass.storage.api.Values;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Polls one sandbox agent's JSON snapshot (HopX shape, see {@link AgentSnapshot}) and stores it as
 * series named by Prometheus conventions (durations in seconds, counters ending in _total), labelled
 * {@code job="agent"}, {@code instance} (the agent's host:port) and {@code sandbox_name} when given.
 * A series missing from a snapshot, or every series when a poll fails, ends with a staleness marker.
 * When uptime goes back the agent restarted: its counters are written as 0 at its new start time,
 * so rate() and increase() see the reset even when the new counts already exceed the old.
 */
public final class AgentSource {
    public static final java.util.Set<String> KEYS = new java.util.LinkedHashSet<>(java.util.List.of("interval", "sandbox"));
    static final String UPTIME = "hopx_agent_uptime_seconds";
    static final String START = "hopx_agent_start_time_seconds";
    static final String EXECUTIONS = "hopx_agent_executions_total";
    static final String ACTIVE = "hopx_agent_active_executions";
    static final String ERRORS = "hopx_agent_errors_total";
    static final String REQUESTS = "hopx_agent_requests_total";
    static final String AVG = "hopx_agent_request_duration_avg_seconds";
    static final String P95 = "hopx_agent_request_duration_p95_seconds";

    private final URI uri;
    private final long intervalMs;
    private final Labels base;
    private final Appender appender;
    private final SourceHealth health;
    private final HttpClient http;
    private final Map<Labels, Long> refs = new HashMap<>();
    private Set<Long> lastWritten = new HashSet<>();
    private Double lastUptime;
    private long lastT = Long.MIN_VALUE;

    /** {@code URL[,interval=DUR][,sandbox=NAME]}. */
    public static AgentSource fromFlag(String text, Storage storage, SourceHealthSet health) {
        SourceSpec s = SourceSpec.parse("--agent", text, true, KEYS);
        URI u;
        try {
            u = URI.create(s.head());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--agent \"" + text + "\": not a URL: " + e.getMessage());
        }
        if (u.getScheme() == null || !u.getScheme().startsWith("http") || u.getHost() == null) {
            throw new IllegalArgumentException("--agent \"" + text + "\": expected an http:// URL of the agent's metrics snapshot");
        }
        return new AgentSource(u, s.durationMs("interval", 15_000), s.options().get("sandbox"), storage, health);
    }

    AgentSource(URI uri, long intervalMs, String sandbox, Storage storage, SourceHealthSet health) {
        this.uri = uri;
        this.intervalMs = intervalMs;
        Labels.Builder b = Labels.EMPTY.builder().set("job", "agent").set("instance", uri.getRawAuthority());
        if (sandbox != null) {
            b.set("sandbox_name", sandbox);
        }
        this.base = b.build();
        this.appender = storage.appender();
        this.health = health.register("agent", uri.toString());
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    public long intervalMs() {
        return intervalMs;
    }

    public SourceHealth health() {
        return health;
    }

    /** One poll, committed; failures are counted and logged, never thrown. */
    public synchronized void pollOnce() {
        try {
            poll();
        } catch (Error e) {
            appender.rollback(); // nothing of this poll is durable; the poller's guard logs and backs off
            try {
                health.failed(e instanceof OutOfMemoryError ? "out_of_memory" : "error", "polling failed: " + e);
            } catch (Throwable ignored) {
                // the heap is still full: the guard counts it
            }
            throw e;
        }
    }

    private void poll() {
        long t = Math.max(System.currentTimeMillis(), lastT + 1);
        lastT = t;
        Set<Long> written = new HashSet<>();
        try {
            AgentSnapshot s;
            try {
                s = AgentSnapshot.parse(fetch());
            } catch (IllegalArgumentException e) {
                throw new AgentException("parse", e.getMessage() + "; the URL must serve the agent's JSON metrics snapshot");
            }
            write(s, t, written);
            health.succeeded(t);
        } catch (AgentException e) {
            appender.rollback();
            written.clear();
            health.failed(e.reason, e.getMessage() + "; polling again every " + intervalMs + " ms");
        }
        try {
            for (long ref : lastWritten) {
                if (!written.contains(ref)) {
                    appender.append(ref, t, Values.STALE_NAN);
                }
            }
            lastWritten = written;
            health.appendTo(appender, t);
            appender.commit();
        } catch (RuntimeException e) {
            appender.rollback();
            health.failed("store", "storing the snapshot failed: " + e.getMessage() + "; check the data dir's disk");
        }
        try {
            appender.prepareNext(); // outside the poll: file the batch, pre-fault the log
        } catch (RuntimeException ignored) {
            // the batch is durable either way; a querier files it itself
        }
    }

    private void write(AgentSnapshot s, long t, Set<Long> written) {
        boolean restarted = s.uptimeSeconds() != null && lastUptime != null && s.uptimeSeconds() < lastUptime;
        long startMs = s.uptimeSeconds() == null ? t : t - Math.round(s.uptimeSeconds() * 1000);
        if (s.uptimeSeconds() != null) {
            lastUptime = s.uptimeSeconds();
        }
        put(UPTIME, null, s.uptimeSeconds(), t, written);
        put(START, null, s.uptimeSeconds() == null ? null : startMs / 1000.0, t, written);
        counter(EXECUTIONS, null, s.totalExecutions(), t, written, restarted, startMs);
        put(ACTIVE, null, s.activeExecutions(), t, written);
        counter(ERRORS, null, s.errorCount(), t, written, restarted, startMs);
        for (var e : s.endpoints().entrySet()) {
            AgentSnapshot.Endpoint ep = e.getValue();
            counter(REQUESTS, e.getKey(), ep.requestsTotal(), t, written, restarted, startMs);
            put(AVG, e.getKey(), ep.avgDurationMs() == null ? null : ep.avgDurationMs() / 1000, t, written);
            put(P95, e.getKey(), ep.p95DurationMs() == null ? null : ep.p95DurationMs() / 1000, t, written);
        }
    }

    private void counter(String metric, String endpoint, Double v, long t, Set<Long> written, boolean restarted, long startMs) {
        if (v != null && restarted && startMs < t) {
            appender.append(ref(metric, endpoint), startMs, 0); // the counter was 0 when the agent started again
        }
        put(metric, endpoint, v, t, written);
    }

    private void put(String metric, String endpoint, Double v, long t, Set<Long> written) {
        if (v == null) {
            return;
        }
        long ref = ref(metric, endpoint);
        appender.append(ref, t, v);
        written.add(ref);
    }

    private long ref(String metric, String endpoint) {
        Labels l = base.builder().set(Labels.METRIC_NAME, metric).set("endpoint", endpoint == null ? "" : endpoint).build();
        return refs.computeIfAbsent(l, appender::seriesRef);
    }

    private byte[] fetch() {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(Math.min(10_000, intervalMs)))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new AgentException("http_status", "agent returned HTTP status " + r.statusCode() + "; check the URL's path");
            }
            return r.body();
        } catch (HttpTimeoutException e) {
            throw new AgentException("timeout", "no answer in time; is the agent overloaded?");
        } catch (ConnectException e) {
            throw new AgentException("connect", "cannot connect; is the sandbox and its agent running?");
        } catch (IOException e) {
            throw new AgentException("io", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("interrupted", "interrupted");
        }
    }

    private static final class AgentException extends RuntimeException {
        final String reason;

        AgentException(String reason, String message) {
            super(message);
            this.reason = reason;
        }
    }
}
