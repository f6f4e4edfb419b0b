package dev.sandglass.web.api;

import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.ast.VectorSelector;
import dev.sandglass.query.engine.Evaluation;
import dev.sandglass.query.engine.PromQLException;
import dev.sandglass.query.parser.Parser;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Utf8Order;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The API's endpoints, each mapping request parameters to one result written as JSON. Thin on
 * purpose: evaluation is the engine's, selection the storage's.
 */
public final class ApiHandlers {
    /** One endpoint: reads the request, writes the "data" value. */
    @FunctionalInterface
    interface Endpoint {
        void handle(Request r, JsonWriter data);
    }

    /** Limits and identity of the server. */
    public record Options(long queryTimeoutMs, int maxConcurrency, String version, String revision, String buildDate) {
    }

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final Supplier<Queryable> storage;
    private final QueryService engine;
    private final Options options;
    private final List<MetricsSource> metricsSources;
    private final Semaphore slots;
    private final LongAdder queriesDone = new LongAdder();
    private final Map<String, LongAdder[]> requestStats = new ConcurrentHashMap<>();
    final AgentStats agent = new AgentStats();

    /** {@code storage} returns null until the store is open (then /-/ready says 503). */
    public ApiHandlers(Supplier<Queryable> storage, QueryService engine, Options options, List<MetricsSource> metricsSources) {
        this.storage = storage;
        this.engine = engine;
        this.options = options;
        this.metricsSources = List.copyOf(metricsSources);
        this.slots = new Semaphore(options.maxConcurrency(), true);
    }

    int maxConcurrency() {
        return options.maxConcurrency();
    }

    /**
     * Moves when a query arrives and again when it leaves its slot (answered or failed): what
     * {@link IdleMemory} watches. Counting arrivals too keeps its full collection from landing in
     * the middle of a query that came after a quiet spell (it did, on the first query after the
     * warm-up: 140-350 ms of pause plus the heap regrown under the query).
     */
    public long queriesDone() {
        return queriesDone.sum();
    }

    /** Whether /-/ready says 200 once the store is open (serve: false while collection is stalled). */
    private volatile java.util.function.BooleanSupplier readiness = () -> true;

    public void readiness(java.util.function.BooleanSupplier ready) {
        this.readiness = ready;
    }

    /** Why serve is degraded (a background loop failing, collection stalled): /-/ready lists them and says 503. */
    private volatile java.util.function.Supplier<java.util.List<String>> degraded = java.util.List::of;

    public void degraded(java.util.function.Supplier<java.util.List<String>> reasons) {
        this.degraded = reasons;
    }

    java.util.List<String> degradedReasons() {
        return degraded.get();
    }

    boolean ready() {
        return storage.get() != null && readiness.getAsBoolean() && degraded.get().isEmpty();
    }

    Queryable storageOrNull() {
        return storage.get();
    }

    Queryable store() {
        Queryable q = storage.get();
        if (q == null) {
            throw new PromQLException.CanceledException("the store is not open yet");
        }
        return q;
    }

    void query(Request r, JsonWriter w) {
        String q = orEmpty(r.param("query"));
        long time = r.param("time") == null ? System.currentTimeMillis() : ApiParams.parseEvalTime("time", r.param("time"));
        long timeout = timeout(r);
        answered(r, timeout, left -> engine.instantEvaluation(store(), q, time, left, r::canceled), w);
    }

    void queryRange(Request r, JsonWriter w) {
        String q = orEmpty(r.param("query"));
        ApiParams.Range range = ApiParams.range(orEmpty(r.param("start")), orEmpty(r.param("end")), orEmpty(r.param("step")));
        long timeout = timeout(r);
        answered(r, timeout, left -> engine.rangeEvaluation(store(), q, range.startMs(), range.endMs(), range.stepMs(), left, r::canceled), w);
    }

    /**
     * Evaluates in a query slot and writes the answer before leaving it: the result is held until
     * it is sent, so sending it is part of what the slot admits (released first, one answer being
     * sent and the next query's evaluation were held at once: with one slot, fifty heavy queries
     * at once peaked ~20 MiB higher). A client that does not take the answer within what is left
     * of the query's timeout loses it (the connection is reset) and the slot is freed.
     */
    private void answered(Request r, long timeoutMs, java.util.function.LongFunction<Evaluation> eval, JsonWriter w) {
        limited(timeoutMs, left -> {
            long deadline = System.nanoTime() + left * 1_000_000L;
            Evaluation res = eval.apply(left);
            r.sendBy(deadline);
            r.warnings().addAll(res.warnings());
            ResultJson.write(res.result(), w);
            return null;
        });
    }

    /** GET /api/v1/capacity?range=30d[&end=][&sandbox=][&resolution=5m|1h]: see the README. */
    void capacity(Request r, JsonWriter w) {
        CapacityJson.write(limited(timeout(r), left -> CapacityParams.compute(store(), r)), w);
    }

    void series(Request r, JsonWriter w) {
        List<List<Matcher>> sets = matchers(r, true);
        long[] range = range(r);
        TreeSet<Labels> found = new TreeSet<>();
        try (Querier q = store().querier(range[0], range[1])) {
            for (List<Matcher> ms : sets) {
                for (Series s : q.select(ms)) {
                    found.add(s.labels());
                }
            }
        }
        w.beginArray();
        for (Labels l : found) {
            ResultJson.labels(l, w);
        }
        w.endArray();
    }

    void labels(Request r, JsonWriter w) {
        List<List<Matcher>> sets = matchers(r, false);
        long[] range = range(r);
        TreeSet<String> names = new TreeSet<>();
        try (Querier q = store().querier(range[0], range[1])) {
            if (sets.isEmpty()) {
                names.addAll(q.labelNames(List.of()));
            }
            for (List<Matcher> ms : sets) {
                names.addAll(q.labelNames(ms));
            }
        }
        ResultJson.strings(new ArrayList<>(names), w);
    }

    void labelValues(Request r, JsonWriter w) {
        String name = r.pathParam("name");
        if (!LABEL_NAME.matcher(name).matches()) {
            throw new BadParameterException("label_name", "invalid label name: \"" + name + "\"");
        }
        List<List<Matcher>> sets = matchers(r, false);
        long[] range = range(r);
        List<List<String>> values = new ArrayList<>();
        try (Querier q = store().querier(range[0], range[1])) {
            if (sets.isEmpty()) {
                values.add(q.labelValues(name, List.of()));
            }
            for (List<Matcher> ms : sets) {
                values.add(q.labelValues(name, ms));
            }
        }
        // Sorted as Prometheus sorts them (UTF-8 bytes); the store's own list is already in that order.
        ResultJson.strings(Utf8Order.sortedUnion(values), w);
    }

    void metadata(Request r, JsonWriter w) {
        String metric = r.param("metric");
        int limit = -1;
        if (r.param("limit") != null) {
            try {
                limit = Integer.parseInt(r.param("limit").trim());
            } catch (NumberFormatException e) {
                throw new BadParameterException("limit", "cannot parse \"" + r.param("limit") + "\" to a valid integer");
            }
        }
        List<String> names;
        try (Querier q = store().querier(ApiParams.MIN_TIME_MS, ApiParams.MAX_TIME_MS)) {
            names = q.labelValues(Labels.METRIC_NAME, List.of());
        }
        TreeMap<String, MetricMetadata.Meta> out = new TreeMap<>();
        for (String n : names) {
            if (metric != null && !metric.isEmpty() && !metric.equals(n)) {
                continue;
            }
            if (limit >= 0 && out.size() >= limit) {
                break;
            }
            out.put(n, MetricMetadata.of(n));
        }
        w.beginObject();
        for (var e : out.entrySet()) {
            w.name(e.getKey()).beginArray().beginObject()
                    .field("type", e.getValue().type()).field("help", e.getValue().help()).field("unit", e.getValue().unit())
                    .endObject().endArray();
        }
        w.endObject();
    }

    void buildInfo(Request r, JsonWriter w) {
        w.beginObject()
                .field("version", options.version())
                .field("revision", options.revision())
                .field("branch", "main")
                .field("buildUser", "sandglass")
                .field("buildDate", options.buildDate())
                .field("goVersion", "java" + System.getProperty("java.version"))
                .endObject();
    }

    String metricsText() {
        StringBuilder sb = new StringBuilder(4096);
        for (MetricsSource s : metricsSources) {
            s.writePrometheusText(sb);
        }
        sb.append("# HELP sandglass_http_requests_total HTTP API requests by handler and status code.\n");
        sb.append("# TYPE sandglass_http_requests_total counter\n");
        TreeMap<String, LongAdder[]> sorted = new TreeMap<>(requestStats);
        for (var e : sorted.entrySet()) {
            String[] key = e.getKey().split(" ");
            sb.append("sandglass_http_requests_total{handler=\"").append(key[0]).append("\",code=\"").append(key[1]).append("\"} ")
                    .append(e.getValue()[0].sum()).append('\n');
        }
        sb.append("# HELP sandglass_http_request_duration_seconds Time spent answering API requests.\n");
        sb.append("# TYPE sandglass_http_request_duration_seconds summary\n");
        for (var e : sorted.entrySet()) {
            String[] key = e.getKey().split(" ");
            String lbl = "{handler=\"" + key[0] + "\",code=\"" + key[1] + "\"}";
            sb.append("sandglass_http_request_duration_seconds_sum").append(lbl).append(' ')
                    .append(PromFormat.value(e.getValue()[1].sum() / 1e9)).append('\n');
            sb.append("sandglass_http_request_duration_seconds_count").append(lbl).append(' ').append(e.getValue()[0].sum()).append('\n');
        }
        agent.writePrometheusText(sb);
        ProcessMetrics.write(sb);
        return sb.toString();
    }

    void recordRequest(String handler, int status, long nanos) {
        LongAdder[] a = requestStats.computeIfAbsent(handler + " " + status, k -> new LongAdder[] {new LongAdder(), new LongAdder()});
        a[0].increment();
        a[1].add(nanos);
        agent.record(handler, status, nanos);
    }

    void agentStatus(Request r, JsonWriter w) {
        agent.writeJson(w);
    }

    /** The request's timeout in ms, at most the server's; Prometheus times out at once on zero or less. */
    private long timeout(Request r) {
        long t = options.queryTimeoutMs();
        if (r.param("timeout") != null) {
            long ns = ApiParams.parseDurationNanos("timeout", r.param("timeout"));
            if (ns <= 0) {
                throw new PromQLException.TimeoutException("query timed out in query queue");
            }
            t = Math.min(t, Math.max(1, ns / 1_000_000));
        }
        return t;
    }

    /** Runs {@code work} in a query slot; waiting for the slot counts against the timeout, the rest goes to the work. */
    private <T> T limited(long timeoutMs, java.util.function.LongFunction<T> work) {
        long t0 = System.nanoTime();
        queriesDone.increment();
        try {
            if (!slots.tryAcquire(timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new PromQLException.TimeoutException("query timed out in query queue (waited " + timeoutMs
                        + "ms for one of " + options.maxConcurrency() + " query slots)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PromQLException.CanceledException("query canceled while waiting for a free query slot");
        }
        try {
            long left = timeoutMs - (System.nanoTime() - t0) / 1_000_000;
            if (left <= 0) {
                throw new PromQLException.TimeoutException("query timed out in query queue");
            }
            return work.apply(left);
        } finally {
            slots.release();
            queriesDone.increment();
        }
    }

    private static long[] range(Request r) {
        long start = r.param("start") == null ? ApiParams.MIN_TIME_MS : ApiParams.parseTime("start", r.param("start"));
        long end = r.param("end") == null ? ApiParams.MAX_TIME_MS : ApiParams.parseTime("end", r.param("end"));
        if (end < start) {
            throw new BadParameterException("end", "end timestamp must not be before start time");
        }
        return new long[] {start, end};
    }

    private static List<List<Matcher>> matchers(Request r, boolean required) {
        List<String> ms = r.params("match[]");
        if (ms.isEmpty() && required) {
            throw new BadParameterException(null, "no match[] parameter provided");
        }
        List<List<Matcher>> out = new ArrayList<>();
        for (String m : ms) {
            Expr e;
            try {
                e = Parser.parse(m);
            } catch (PromQLException.ParseException ex) {
                throw new BadParameterException("match[]", ex.getMessage());
            }
            if (!(e instanceof VectorSelector vs)) {
                throw new BadParameterException("match[]", "\"" + m + "\" is not an instant vector selector");
            }
            out.add(vs.matchers());
        }
        return out;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
