package dev.sandglass.web.api;

import dev.sandglass.query.engine.QueryResult;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.util.Parallel;
import java.util.List;

/** Writes query results in the "data" shape of Prometheus's API. */
public final class ResultJson {
    private ResultJson() {
    }

    public static void write(QueryResult result, JsonWriter w) {
        w.beginObject();
        if (result instanceof QueryResult.ScalarResult s) {
            w.field("resultType", "scalar").name("result");
            point(s.timestampMs(), s.value(), w);
        } else if (result instanceof QueryResult.StringResult s) {
            w.field("resultType", "string").name("result");
            StringBuilder ts = new StringBuilder(16);
            PromFormat.timestamp(s.timestampMs(), ts);
            w.beginArray().raw(ts).value(s.value()).endArray();
        } else if (result instanceof QueryResult.VectorResult v) {
            w.field("resultType", "vector").name("result").beginArray();
            for (QueryResult.Sample s : v.samples()) {
                w.beginObject().name("metric");
                labels(s.labels(), w);
                w.name("value");
                point(s.timestampMs(), s.value(), w);
                w.endObject();
            }
            w.endArray();
        } else if (result instanceof QueryResult.MatrixResult m) {
            w.field("resultType", "matrix").name("result").beginArray();
            // A range result is mostly [t,"v"] points: series are formatted on every core, each
            // into its own buffer, then appended in order; a batch at a time, so that only a
            // batch's text is held besides what the writer has not yet sent.
            // The batch's buffers are reused from batch to batch (a series' text is about the
            // same size as the next one's), so they grow once, not once per series.
            List<QueryResult.MatrixSeries> series = m.series();
            StringBuilder[] parts = new StringBuilder[Math.min(series.size(), MATRIX_BATCH)];
            for (int from = 0; from < series.size(); from += parts.length) {
                int base = from;
                int n = Math.min(parts.length, series.size() - from);
                Parallel.forEach(n, i -> parts[i] = matrixSeries(series.get(base + i), parts[i]));
                for (int i = 0; i < n; i++) {
                    w.raw(parts[i]);
                }
            }
            w.endArray();
        }
        w.endObject();
    }

    /** Series formatted at once: enough to keep every core busy, little enough to hold. */
    private static final int MATRIX_BATCH = 16;

    /** Characters of a {@code [t,"v"],} point at most, but for values of more than 17 digits. */
    private static final int POINT_CHARS = 40;

    /** Series {@code s} as JSON, in {@code reuse} (emptied first) when not null. */
    private static StringBuilder matrixSeries(QueryResult.MatrixSeries s, StringBuilder reuse) {
        int expected = 256 + POINT_CHARS * s.size();
        StringBuilder out = reuse != null ? reuse : new StringBuilder(expected);
        out.setLength(0);
        out.ensureCapacity(expected);
        JsonWriter w = new JsonWriter(out);
        w.beginObject().name("metric");
        labels(s.labels(), w);
        w.name("values").beginArray();
        long[] ts = s.timestampsMs();
        double[] vs = s.values();
        for (int i = 0; i < s.size(); i++) {
            point(ts[i], vs[i], w);
        }
        w.endArray().endObject();
        return out;
    }

    /** {@code [t,"v"]} straight into the writer's buffer: a range result is mostly these. */
    private static void point(long t, double v, JsonWriter w) {
        StringBuilder out = w.raw("[").buffer();
        PromFormat.timestamp(t, out);
        out.append(",\"");
        PromFormat.value(v, out);
        out.append("\"]");
    }

    public static void labels(Labels labels, JsonWriter w) {
        w.beginObject();
        for (int i = 0; i < labels.size(); i++) {
            w.field(labels.name(i), labels.value(i));
        }
        w.endObject();
    }

    public static void strings(List<String> values, JsonWriter w) {
        w.beginArray();
        for (String s : values) {
            w.value(s);
        }
        w.endArray();
    }
}
