package dev.sandglass.query.engine;

/**
 * Engine limits and settings, as Prometheus's: lookback delta (default 5m), query timeout
 * (--query.timeout, default 2m), max samples in memory (--query.max-samples, default 50M), and the
 * subquery step used when a subquery gives none (default 1m).
 */
public record EngineOptions(long lookbackMs, long timeoutMs, long maxSamples, long defaultSubqueryStepMs) {
    public static EngineOptions defaults() {
        return new EngineOptions(5 * 60_000L, 2 * 60_000L, 50_000_000L, 60_000L);
    }
}
