package dev.sandglass.web.api;

import dev.sandglass.query.engine.Evaluation;
import dev.sandglass.query.engine.QueryResult;
import dev.sandglass.storage.api.Queryable;
import java.util.function.BooleanSupplier;

/** What the API needs of a query engine (declared here so handler tests can substitute one). */
public interface QueryService {
    QueryResult instant(Queryable storage, String query, long timeMs, long timeoutMs, BooleanSupplier canceled);

    QueryResult range(Queryable storage, String query, long startMs, long endMs, long stepMs, long timeoutMs, BooleanSupplier canceled);

    /** As {@link #instant}, with the answer's warnings (none unless the engine gives some). */
    default Evaluation instantEvaluation(Queryable storage, String query, long timeMs, long timeoutMs, BooleanSupplier canceled) {
        return new Evaluation(instant(storage, query, timeMs, timeoutMs, canceled), java.util.List.of());
    }

    /** As {@link #range}, with the answer's warnings. */
    default Evaluation rangeEvaluation(Queryable storage, String query, long startMs, long endMs, long stepMs, long timeoutMs,
            BooleanSupplier canceled) {
        return new Evaluation(range(storage, query, startMs, endMs, stepMs, timeoutMs, canceled), java.util.List.of());
    }
}
