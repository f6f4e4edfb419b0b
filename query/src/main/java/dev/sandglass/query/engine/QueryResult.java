package dev.sandglass.query.engine;

import dev.sandglass.storage.api.Labels;
import java.util.List;

/** The value of a query, in the four shapes of Prometheus's API ("resultType"). */
public sealed interface QueryResult {
    /** One element of an instant vector. */
    record Sample(Labels labels, long timestampMs, double value) {
    }

    /** One series of a range result: parallel arrays, {@code size} points. */
    record MatrixSeries(Labels labels, long[] timestampsMs, double[] values, int size) {
    }

    record ScalarResult(long timestampMs, double value) implements QueryResult {
    }

    record StringResult(long timestampMs, String value) implements QueryResult {
    }

    record VectorResult(List<Sample> samples) implements QueryResult {
    }

    /** Range query results and instant queries of range-vector expressions; series sorted by labels. */
    record MatrixResult(List<MatrixSeries> series) implements QueryResult {
    }
}
