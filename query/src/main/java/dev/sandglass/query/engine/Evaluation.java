package dev.sandglass.query.engine;

import java.util.List;

/** A query's value with the warnings to send beside it (Prometheus's "warnings"), e.g. that rollups answered part of it. */
public record Evaluation(QueryResult result, List<String> warnings) {
}
