package dev.sandglass.web.api;

import dev.sandglass.query.engine.Engine;
import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.query.engine.Evaluation;
import dev.sandglass.query.engine.QueryResult;
import dev.sandglass.storage.api.Queryable;
import java.util.function.BooleanSupplier;

/** The PromQL engine behind the API, with the request's timeout applied per query. */
public final class EngineQueryService implements QueryService {
    private final EngineOptions base;

    public EngineQueryService(EngineOptions base) {
        this.base = base;
    }

    private Engine engine(long timeoutMs) {
        return new Engine(new EngineOptions(base.lookbackMs(), Math.min(timeoutMs, base.timeoutMs()), base.maxSamples(), base.defaultSubqueryStepMs()));
    }

    @Override
    public QueryResult instant(Queryable storage, String query, long timeMs, long timeoutMs, BooleanSupplier canceled) {
        return engine(timeoutMs).instant(storage, query, timeMs, canceled);
    }

    @Override
    public QueryResult range(Queryable storage, String query, long startMs, long endMs, long stepMs, long timeoutMs, BooleanSupplier canceled) {
        return engine(timeoutMs).range(storage, query, startMs, endMs, stepMs, canceled);
    }

    @Override
    public Evaluation instantEvaluation(Queryable storage, String query, long timeMs, long timeoutMs, BooleanSupplier canceled) {
        return engine(timeoutMs).instantEvaluation(storage, query, timeMs, canceled);
    }

    @Override
    public Evaluation rangeEvaluation(Queryable storage, String query, long startMs, long endMs, long stepMs, long timeoutMs,
            BooleanSupplier canceled) {
        return engine(timeoutMs).rangeEvaluation(storage, query, startMs, endMs, stepMs, canceled);
    }
}
