package dev.sandglass.web.api;

import dev.sandglass.query.engine.PromQLException;
import dev.sandglass.query.parser.Parser;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.api.Series;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Endpoints Grafana and Prometheus's UI call that Sandglass answers with Prometheus's shapes: no
 * rules, alerts or exemplars (empty successes, so dashboards log no 404s), and the index's
 * cardinality figures of /api/v1/status/tsdb.
 */
final class StatusHandlers {
    /** Prometheus lists the top 10 of each figure. */
    static final int TOP = 10;

    private final Supplier<Queryable> storage;

    StatusHandlers(Supplier<Queryable> storage) {
        this.storage = storage;
    }

    void rules(Request r, JsonWriter w) {
        String type = r.param("type");
        if (type != null && !type.isEmpty() && !Set.of("alert", "record").contains(type.toLowerCase(java.util.Locale.ROOT))) {
            throw new BadParameterException("type", "not supported value \"" + type + "\"");
        }
        w.beginObject().name("groups").beginArray().endArray().endObject();
    }

    void alerts(Request r, JsonWriter w) {
        w.beginObject().name("alerts").beginArray().endArray().endObject();
    }

    /** No exemplars are stored; the query and times are still checked as Prometheus checks them. */
    void exemplars(Request r, JsonWriter w) {
        if (r.param("start") != null) {
            ApiParams.parseTime("start", r.param("start"));
        }
        if (r.param("end") != null) {
            ApiParams.parseTime("end", r.param("end"));
        }
        String q = r.param("query") == null ? "" : r.param("query");
        try {
            Parser.parse(q);
        } catch (PromQLException.ParseException e) {
            throw new BadParameterException(null, e.getMessage());
        }
        w.beginArray().endArray();
    }

    /** Cardinality of the whole index (Prometheus gives its head block's): what fills it. */
    void tsdb(Request r, JsonWriter w) {
        Queryable q = storage.get();
        if (q == null) {
            throw new PromQLException.CanceledException("the store is not open yet");
        }
        Map<String, Long> byMetric = new HashMap<>();
        Map<String, Long> byPair = new HashMap<>();
        Map<String, Map<String, Boolean>> valuesByName = new HashMap<>();
        long series = 0;
        try (Querier querier = q.querier(ApiParams.MIN_TIME_MS, ApiParams.MAX_TIME_MS)) {
            for (Series s : querier.selectLazily(List.of(new Matcher(Matcher.Type.RE, Labels.METRIC_NAME, ".+")))) {
                series++;
                Labels l = s.labels();
                for (int i = 0; i < l.size(); i++) {
                    byPair.merge(l.name(i) + "=" + l.value(i), 1L, Long::sum);
                    valuesByName.computeIfAbsent(l.name(i), k -> new HashMap<>()).put(l.value(i), Boolean.TRUE);
                }
                byMetric.merge(l.get(Labels.METRIC_NAME), 1L, Long::sum);
            }
        }
        Map<String, Long> valueCount = new HashMap<>();
        Map<String, Long> valueBytes = new HashMap<>();
        for (var e : valuesByName.entrySet()) {
            valueCount.put(e.getKey(), (long) e.getValue().size());
            long bytes = 0;
            for (String v : e.getValue().keySet()) {
                bytes += v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
            valueBytes.put(e.getKey(), bytes);
        }
        w.beginObject().name("headStats").beginObject()
                .name("numSeries").value(series)
                .name("numLabelPairs").value(byPair.size())
                .name("chunkCount").value(q instanceof Db db ? db.blockCount() : 0)
                .endObject();
        top("seriesCountByMetricName", byMetric, w);
        top("labelValueCountByLabelName", valueCount, w);
        top("memoryInBytesByLabelName", valueBytes, w);
        top("seriesCountByLabelValuePair", byPair, w);
        w.endObject();
    }

    /** The ten largest, largest first (ties by name, so the answer is stable). */
    private static void top(String field, Map<String, Long> counts, JsonWriter w) {
        List<Map.Entry<String, Long>> list = new ArrayList<>(counts.entrySet());
        list.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        w.name(field).beginArray();
        for (var e : list.subList(0, Math.min(TOP, list.size()))) {
            w.beginObject().field("name", e.getKey()).name("value").value(e.getValue()).endObject();
        }
        w.endArray();
    }
}
