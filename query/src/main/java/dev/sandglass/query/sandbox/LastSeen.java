package dev.sandglass.query.sandbox;

import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;

/** What one presence series says about when its sandbox was last seen; the point read at that time is filled in later. */
final class LastSeen {
    final long lastMs;
    final long lastRealMs;
    final boolean endedStale;
    final String sandboxId;
    /** Filled when the point is read. */
    double[] values;
    String runId;

    LastSeen(long lastMs, long lastRealMs, boolean endedStale, String sandboxId) {
        this.lastMs = lastMs;
        this.lastRealMs = lastRealMs;
        this.endedStale = endedStale;
        this.sandboxId = sandboxId;
    }

    /**
     * From a presence series, given its last sample in the window ({@code last}) and its catalog id
     * label: null when it has no sample in the window; reads the whole window only when it ends
     * with a staleness marker.
     */
    static LastSeen of(Series series, Samples last, String sandboxId) {
        if (last.size() == 0) {
            return null;
        }
        if (!Values.isStaleNaN(last.value(0))) {
            return new LastSeen(last.timestamp(0), last.timestamp(0), false, sandboxId);
        }
        Samples s = series.samples();
        int n = s.size();
        if (n == 0) {
            return null;
        }
        long lastReal = Long.MIN_VALUE;
        for (int i = n - 1; i >= 0; i--) {
            if (!Values.isStaleNaN(s.value(i))) {
                lastReal = s.timestamp(i);
                break;
            }
        }
        return new LastSeen(s.timestamp(n - 1), lastReal, Values.isStaleNaN(s.value(n - 1)), sandboxId);
    }

    /** Of two series of one sandbox (runs labelled apart, or a new catalog id): the later one decides. */
    static LastSeen later(LastSeen a, LastSeen b) {
        LastSeen last = a.lastMs >= b.lastMs ? a : b;
        LastSeen real = a.lastRealMs >= b.lastRealMs ? a : b;
        return new LastSeen(last.lastMs, real.lastRealMs, last.endedStale && last.lastMs >= real.lastRealMs, real.sandboxId);
    }
}
