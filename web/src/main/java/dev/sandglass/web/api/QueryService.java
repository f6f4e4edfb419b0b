package dev.sandglass.web.api;

import dev.sandglass.query.engine.QueryResult;
import dev.sandglass.storage.api.Queryable;
import java.util.function.BooleanSupplier;

/** What the API needs of a query engine (declared here so handler tests can substitute one). */
public interface QueryService {
    QueryResult instant(Queryable storage, String query, long timeMs, long timeoutMs, BooleanSupplier canceled);

    QueryResult range(Queryable storage, String query, long startMs, long endMs, long stepMs, long timeoutMs, BooleanSupplier canceled);
}
