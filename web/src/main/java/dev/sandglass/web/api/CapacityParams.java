package dev.sandglass.web.api;

import dev.sandglass.query.capacity.CapacityCalculator;
import dev.sandglass.query.capacity.CapacityReport;
import dev.sandglass.storage.api.Queryable;

/** The capacity endpoint's parameters: range (default 30d), end (default now), sandbox, resolution. */
public final class CapacityParams {
    private CapacityParams() {
    }

    static CapacityReport compute(Queryable store, Request r) {
        long range = r.param("range") == null ? 30 * 86_400_000L : ApiParams.parseDuration("range", r.param("range"));
        if (range <= 0) {
            throw new BadParameterException("range", "range must be positive, got \"" + r.param("range") + "\"");
        }
        long end = r.param("end") == null ? System.currentTimeMillis() : ApiParams.parseTime("end", r.param("end"));
        return CapacityCalculator.compute(store, end, range, resolution(r.param("resolution"), range), blankToNull(r.param("sandbox")));
    }

    /** 5m or 1h; by default 5m up to 7 days of range, 1h beyond. */
    public static long resolution(String s, long rangeMs) {
        if (s == null || s.isBlank()) {
            return CapacityCalculator.defaultResolution(rangeMs);
        }
        long ms = ApiParams.parseDuration("resolution", s);
        if (ms != CapacityCalculator.FIVE_MINUTES_MS && ms != CapacityCalculator.HOUR_MS) {
            throw new BadParameterException("resolution", "resolution must be 5m or 1h (the rollups kept), got \"" + s + "\"");
        }
        return ms;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
