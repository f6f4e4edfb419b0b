package dev.sandglass.web.cli;

import dev.sandglass.query.engine.QueryResult;
import dev.sandglass.web.api.JsonWriter;
import dev.sandglass.web.api.PromFormat;
import dev.sandglass.web.api.ResultJson;
import java.io.PrintStream;
import java.time.Instant;

/** Prints a query result as a readable table, or as the HTTP API's JSON. */
final class QueryOutput {
    private QueryOutput() {
    }

    static void print(QueryResult r, boolean json, PrintStream out) {
        if (json) {
            StringBuilder sb = new StringBuilder();
            JsonWriter w = new JsonWriter(sb);
            w.beginObject().field("status", "success").name("data");
            ResultJson.write(r, w);
            w.endObject();
            out.println(sb);
            return;
        }
        if (r instanceof QueryResult.ScalarResult s) {
            out.println(PromFormat.value(s.value()) + " @ " + time(s.timestampMs()));
        } else if (r instanceof QueryResult.StringResult s) {
            out.println(s.value() + " @ " + time(s.timestampMs()));
        } else if (r instanceof QueryResult.VectorResult v) {
            if (v.samples().isEmpty()) {
                out.println("(empty result)");
            }
            int width = 0;
            for (QueryResult.Sample s : v.samples()) {
                width = Math.max(width, s.labels().toString().length());
            }
            for (QueryResult.Sample s : v.samples()) {
                out.printf("%-" + width + "s  %s @ %s%n", s.labels(), PromFormat.value(s.value()), time(s.timestampMs()));
            }
        } else if (r instanceof QueryResult.MatrixResult m) {
            if (m.series().isEmpty()) {
                out.println("(empty result)");
            }
            for (QueryResult.MatrixSeries s : m.series()) {
                out.println(s.labels());
                for (int i = 0; i < s.size(); i++) {
                    out.println("  " + time(s.timestampsMs()[i]) + "  " + PromFormat.value(s.values()[i]));
                }
            }
        }
    }

    private static String time(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }
}
