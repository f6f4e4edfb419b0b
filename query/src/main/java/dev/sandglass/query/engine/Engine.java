package dev.sandglass.query.engine;

import dev.sandglass.storage.api.Queryable;

/**
 * Parses and evaluates PromQL with Prometheus 2.42's semantics. Thread-safe: one engine serves
 * every query. Errors are {@link PromQLException} subtypes.
 */
public final class Engine {
    private final EngineOptions options;

    public Engine(EngineOptions options) {
        this.options = options;
    }

    public EngineOptions options() {
        return options;
    }

    /** Evaluates {@code query} at {@code timeMs}. */
    public QueryResult instant(Queryable storage, String query, long timeMs) {
        throw new PromQLException("the PromQL engine is not built yet");
    }

    /** Evaluates {@code query} at every step from start to end (inclusive); returns a matrix. */
    public QueryResult range(Queryable storage, String query, long startMs, long endMs, long stepMs) {
        throw new PromQLException("the PromQL engine is not built yet");
    }
}
