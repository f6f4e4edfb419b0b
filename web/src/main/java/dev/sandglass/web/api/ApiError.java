package dev.sandglass.web.api;

import dev.sandglass.query.engine.PromQLException;
import dev.sandglass.query.sandbox.TooManyPointsException;
import dev.sandglass.query.sandbox.UnknownSandboxException;
import dev.sandglass.storage.api.StorageException;

/** The one place that maps failures to Prometheus's errorType and HTTP status. */
public record ApiError(int status, String type, String message) {
    public static final String OUT_OF_MEMORY = "not enough memory for this query now (within --memory.limit):"
            + " retry later, or ask for less (a shorter range, a larger step, fewer series)";

    public static ApiError of(Throwable e) {
        if (e instanceof BadParameterException) {
            return new ApiError(400, "bad_data", e.getMessage());
        }
        if (e instanceof UnknownSandboxException) {
            return new ApiError(404, "not_found", e.getMessage());
        }
        if (e instanceof TooManyPointsException) {
            return new ApiError(400, "bad_data", "invalid parameter \"step\": " + e.getMessage());
        }
        if (e instanceof PromQLException.ParseException) {
            return new ApiError(400, "bad_data", e.getMessage());
        }
        if (e instanceof PromQLException.TimeoutException) {
            return new ApiError(503, "timeout", e.getMessage());
        }
        if (e instanceof PromQLException.CanceledException) {
            return new ApiError(503, "canceled", e.getMessage());
        }
        if (e instanceof PromQLException) {
            return new ApiError(422, "execution", e.getMessage());
        }
        if (e instanceof OutOfMemoryError) {
            // Admission and the sample limit keep queries inside --memory.limit; this is the last
            // line: the query is dropped (its memory with it) and the server goes on.
            return new ApiError(503, "unavailable", OUT_OF_MEMORY);
        }
        if (e instanceof StorageException) {
            return new ApiError(500, "internal", "storage: " + e.getMessage());
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ApiError(500, "internal", m);
    }

    public String json() {
        StringBuilder sb = new StringBuilder();
        new JsonWriter(sb).beginObject().field("status", "error").field("errorType", type).field("error", message).endObject();
        return sb.toString();
    }
}
