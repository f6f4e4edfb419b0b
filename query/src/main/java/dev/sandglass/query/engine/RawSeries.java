package dev.sandglass.query.engine;

import dev.sandglass.storage.api.Labels;

/**
 * Samples of one series as range functions see them: timestamps and values in time order, without
 * staleness markers (Prometheus drops those from range vectors).
 */
public record RawSeries(Labels labels, long[] timestamps, double[] values, int size) {
}
