package dev.sandglass.web.api;

import dev.sandglass.query.parser.Durations;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Parsing of the time and duration parameters of Prometheus's API. */
public final class ApiParams {
    /** Prometheus's "min time" and "max time" as unix ms, used when start/end are absent. */
    public static final long MIN_TIME_MS = -9_223_372_036_854_775L + 1;
    public static final long MAX_TIME_MS = 9_223_372_036_854_775L - 1;

    private ApiParams() {
    }

    /** A timestamp as unix seconds (fractions to ms) or RFC 3339; unix ms. */
    public static long parseTime(String name, String s) {
        try {
            BigDecimal secs = new BigDecimal(s.trim());
            return secs.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            // not a number: try RFC 3339
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(s.trim());
            return t.toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new BadParameterException(name, "cannot parse \"" + s + "\" to a valid timestamp");
        }
    }

    /** A duration as float seconds or a Prometheus duration string; ms. */
    public static long parseDuration(String name, String s) {
        try {
            double d = Double.parseDouble(s.trim());
            double ms = d * 1000;
            if (Double.isNaN(ms) || Math.abs(ms) >= 9.2e18) {
                throw new BadParameterException(name, "cannot parse \"" + s + "\" to a valid duration. It overflows int64");
            }
            return Math.round(ms);
        } catch (NumberFormatException e) {
            // not a number: try a duration string
        }
        try {
            return Durations.parseMillis(s.trim());
        } catch (IllegalArgumentException e) {
            throw new BadParameterException(name, "cannot parse \"" + s + "\" to a valid duration");
        }
    }

    /**
     * A start given as a duration back from {@code nowMs} ("15m", "2h", "1d") or as a time (unix
     * seconds or RFC 3339); unix ms.
     */
    public static long parseSince(String name, String s, long nowMs) {
        String v = s.trim();
        if (!v.isEmpty() && Character.isLetter(v.charAt(v.length() - 1)) && !v.contains(":")) {
            long d;
            try {
                d = Durations.parseMillis(v);
            } catch (IllegalArgumentException e) {
                throw new BadParameterException(name, "cannot parse \"" + s + "\" to a duration (e.g. 15m, 2h, 1d) or a time");
            }
            if (d <= 0) {
                throw new BadParameterException(name, "must be a positive duration, got \"" + s + "\"");
            }
            return nowMs - d;
        }
        return parseTime(name, v);
    }
}
