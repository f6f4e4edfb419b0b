package dev.sandglass.web.api;

import dev.sandglass.query.parser.Durations;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Parsing of the time and duration parameters of Prometheus's API, with Prometheus 2.42's
 * arithmetic (web/api/v1/api.go parseTime, parseDuration and the 11,000-points check), except
 * where that arithmetic overflows: there Prometheus answers garbage with status 200, we refuse.
 */
public final class ApiParams {
    /** Prometheus's "min time" and "max time" as unix ms, used when start/end are absent. */
    public static final long MIN_TIME_MS = -9_223_372_036_854_775L + 1;
    public static final long MAX_TIME_MS = 9_223_372_036_854_775L - 1;

    /**
     * The span PromQL evaluates correctly: Prometheus's engine takes times as int64 nanoseconds
     * (time.UnixNano), so outside 1677-09-21T00:12:43.146Z .. 2262-04-11T23:47:16.854Z its answers
     * wrap around (time=9999-12-31T23:59:59Z gives time() = -4852116232.933 there).
     */
    public static final long MIN_EVAL_MS = Long.MIN_VALUE / 1_000_000;
    public static final long MAX_EVAL_MS = Long.MAX_VALUE / 1_000_000;

    /** Prometheus's API minTime/maxTime (Go's time.Time range less a margin), unix ms. */
    static final long MIN_API_MS = (Long.MIN_VALUE / 1000 + 62_135_596_801L) * 1000;
    static final long MAX_API_MS = (Long.MAX_VALUE / 1000 - 62_135_596_801L) * 1000 + 999;

    /** The most points per series a range query may return, as Prometheus. */
    public static final long MAX_POINTS = 11_000;

    /** Go's strconv.ParseFloat for decimal input: digits may be separated by single underscores. */
    private static final Pattern GO_FLOAT = Pattern.compile(
            "[+-]?(?:\\d(?:_?\\d)*(?:\\.(?:\\d(?:_?\\d)*)?)?|\\.\\d(?:_?\\d)*)(?:[eE][+-]?\\d(?:_?\\d)*)?");
    private static final Pattern GO_SPECIAL = Pattern.compile("[+-]?(?i:inf|infinity|nan)");

    private ApiParams() {
    }

    /** A range query's times and step, checked as Prometheus checks them. */
    public record Range(long startMs, long endMs, long stepMs) {
    }

    /** A time PromQL can evaluate at (query, query_range): unix seconds or RFC 3339; unix ms. */
    public static long parseEvalTime(String name, String s) {
        long ms = parseTime(name, s);
        if (ms < MIN_EVAL_MS || ms > MAX_EVAL_MS) {
            throw outOfRange(name, s);
        }
        return ms;
    }

    /** A timestamp as unix seconds (fractions to ms) or RFC 3339, within Prometheus's API bounds; unix ms. */
    public static long parseTime(String name, String s) {
        Double secs = goFloat(s);
        if (secs != null) {
            // Beyond Prometheus's minTime/maxTime (and for NaN and Inf) Go's int64 conversion wraps.
            if (!(Math.abs(secs) <= 9.3e15)) {
                throw outOfRange(name, s);
            }
            long ms = goUnixMillis(secs);
            if (ms < MIN_API_MS || ms > MAX_API_MS) {
                throw outOfRange(name, s);
            }
            return ms;
        }
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new BadParameterException(name, "cannot parse \"" + s + "\" to a valid timestamp");
        }
    }

    /** A duration as float seconds or a Prometheus duration string; whole ms, truncated as Prometheus does. */
    public static long parseDuration(String name, String s) {
        return parseDurationNanos(name, s) / 1_000_000;
    }

    /** A duration in nanoseconds, as Prometheus holds it (time.Duration): longer than about 292 years overflows. */
    public static long parseDurationNanos(String name, String s) {
        Double d = goFloat(s);
        if (d != null) {
            double ns = d * 1e9;
            if (Double.isNaN(ns)) {
                throw new BadParameterException(name, "cannot parse \"" + s + "\" to a valid duration");
            }
            if (ns > Long.MAX_VALUE || ns < Long.MIN_VALUE) {
                throw new BadParameterException(name, "cannot parse \"" + s + "\" to a valid duration. It overflows int64");
            }
            return (long) ns;
        }
        long ms;
        try {
            ms = Durations.parseMillis(s);
        } catch (IllegalArgumentException e) {
            throw new BadParameterException(name, "cannot parse \"" + s + "\" to a valid duration");
        }
        if (ms > Long.MAX_VALUE / 1_000_000) {
            throw new BadParameterException(name, "cannot parse \"" + s + "\" to a valid duration");
        }
        return ms * 1_000_000;
    }

    /** start, end and step of a range query, with Prometheus's checks in Prometheus's order. */
    public static Range range(String start, String end, String step) {
        long s = parseEvalTime("start", start);
        long e = parseEvalTime("end", end);
        if (e < s) {
            throw new BadParameterException("end", "end timestamp must not be before start time");
        }
        long stepNs = parseDurationNanos("step", step);
        if (stepNs <= 0) {
            throw new BadParameterException("step", "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        // Prometheus divides end.Sub(start) in ns, which saturates past 292 years and then lets
        // millions of points through; the exact quotient does not.
        BigInteger points = BigInteger.valueOf(e - s).multiply(BigInteger.valueOf(1_000_000)).divide(BigInteger.valueOf(stepNs));
        if (points.compareTo(BigInteger.valueOf(MAX_POINTS)) > 0) {
            throw new BadParameterException(null, "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
        }
        long stepMs = stepNs / 1_000_000;
        if (stepMs == 0) {
            // Prometheus fails here with "runtime error: integer divide by zero".
            throw new BadParameterException("step", "query resolution steps under 1ms are not supported (timestamps are in ms)");
        }
        return new Range(s, e, stepMs);
    }

    private static BadParameterException outOfRange(String name, String s) {
        return new BadParameterException(name, "cannot parse \"" + s + "\" to a valid timestamp: out of range (PromQL evaluates "
                + "times from 1677-09-21T00:12:43.146Z to 2262-04-11T23:47:16.854Z)");
    }

    /** The value Go's ParseFloat gives, or null when it refuses (hex floats are refused here too). */
    static Double goFloat(String s) {
        if (GO_SPECIAL.matcher(s).matches()) {
            String l = s.toLowerCase(java.util.Locale.ROOT);
            if (l.contains("nan")) {
                return Double.NaN;
            }
            return l.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!GO_FLOAT.matcher(s).matches()) {
            return null;
        }
        return Double.parseDouble(s.replace("_", ""));
    }

    /**
     * Unix ms of float seconds, as Prometheus: math.Modf, the fraction rounded half away from zero
     * to ms, time.Unix(sec, int64(frac*1e9)), then timestamp.FromTime. Same doubles, same answer:
     * 0.0005 is 1 ms there, not 0.
     */
    static long goUnixMillis(double t) {
        double whole = t < 0 ? Math.ceil(t) : Math.floor(t);
        double frac = goRound((t - whole) * 1000) / 1000;
        long sec = (long) whole;
        long nsec = (long) (frac * 1e9);
        sec += nsec / 1_000_000_000L;
        nsec %= 1_000_000_000L;
        if (nsec < 0) {
            nsec += 1_000_000_000L;
            sec--;
        }
        return sec * 1000 + nsec / 1_000_000;
    }

    /** Go's math.Round: half away from zero. */
    private static double goRound(double x) {
        double a = Math.abs(x);
        double r = Math.floor(a);
        if (a - r >= 0.5) {
            r += 1;
        }
        return Math.copySign(r, x);
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
