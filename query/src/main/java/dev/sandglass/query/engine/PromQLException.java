package dev.sandglass.query.engine;

/**
 * Base of every query error. The web layer maps each subtype to Prometheus's errorType and
 * status code in one place; callers never match on message text.
 */
public class PromQLException extends RuntimeException {
    public PromQLException(String message) {
        super(message);
    }

    public PromQLException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Bad query text or types: errorType "bad_data", HTTP 400. Message: "line:col: parse error: ...". */
    public static class ParseException extends PromQLException {
        private final int line;
        private final int column;

        public ParseException(int line, int column, String detail) {
            super(line + ":" + column + ": parse error: " + detail);
            this.line = line;
            this.column = column;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }
    }

    /** Evaluation failed on this data (e.g. many-to-many matching): errorType "execution", HTTP 422. */
    public static class EvalException extends PromQLException {
        public EvalException(String message) {
            super(message);
        }
    }

    /** The query ran past its timeout: errorType "timeout", HTTP 503. */
    public static class TimeoutException extends PromQLException {
        public TimeoutException(String message) {
            super(message);
        }
    }

    /** The query was canceled (client gone, shutdown): errorType "canceled", HTTP 503. */
    public static class CanceledException extends PromQLException {
        public CanceledException(String message) {
            super(message);
        }
    }

    /** More samples loaded than --query.max-samples allows: errorType "execution", HTTP 422. */
    public static class TooManySamplesException extends PromQLException {
        public TooManySamplesException(long limit) {
            super("query processing would load too many samples into memory in query execution (limit " + limit + ")");
        }
    }
}
