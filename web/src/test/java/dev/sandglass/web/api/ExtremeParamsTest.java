package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Times, steps and timeouts at the edges, with the answers Prometheus 2.42 gave for the same
 * parameters (asked over HTTP, `time()` or `query_range` of `time()`), and refusals where its
 * arithmetic wraps around.
 */
class ExtremeParamsTest {
    @ParameterizedTest
    @CsvSource({
        // Go's math.Round is half away from zero: Prometheus answered time() = 0.001 and -0.001.
        "0.0005,1", "-0.0005,-1", "1.501,1501", "-1.5005,-1500", "2.0025,2002", "1e3,1000000",
        // Go's ParseFloat takes underscores between digits.
        "1_0,10000",
        "2262-04-11T23:47:16.854Z,9223372036854", "1677-09-21T00:12:43.146Z,-9223372036854"})
    void timesAsPrometheusReadsThem(String in, long wantMs) {
        assertEquals(wantMs, ApiParams.parseEvalTime("time", in));
    }

    @ParameterizedTest
    @CsvSource({"1e300", "-1e300", "9e15", "-9e15", "9223372036854.775808", "-9223372036854775.808", "Inf", "NaN",
            "9999-12-31T23:59:59Z", "2262-04-11T23:47:16.855Z"})
    void timesPromQLCannotEvaluateAreRefused(String in) {
        // Prometheus answers these with status 200 and a wrapped-around time() (9999-12-31 gave -4852116232.933).
        BadParameterException e = assertThrows(BadParameterException.class, () -> ApiParams.parseEvalTime("time", in));
        assertTrue(e.getMessage().startsWith("invalid parameter \"time\": cannot parse \"" + in + "\" to a valid timestamp: out of range"),
                e.getMessage());
    }

    @Test
    void seriesTimesReachPrometheusMinAndMaxTime() {
        // Prometheus's minTime and maxTime: math.MinInt64/1000 + 62135596801 s and its mirror.
        assertEquals(-9_223_309_901_257_974_000L, ApiParams.parseTime("start", "-9223309901257974"));
        assertEquals(9_223_309_901_257_974_000L, ApiParams.parseTime("end", "9223309901257974"));
        assertThrows(BadParameterException.class, () -> ApiParams.parseTime("end", "9223309901257976"));
        assertThrows(BadParameterException.class, () -> ApiParams.parseTime("start", "-9223309901257976"));
    }

    @ParameterizedTest
    @CsvSource({
        // "1d" is a day: Java's parseDouble would read it as 1.0 (a double literal suffix).
        "1d,86400000", "15d,1296000000", "1.0005,1000", "0.0009,0", "292y,9208512000000", "9223372036,9223372036000"})
    void durationsTruncateToMsFromNanoseconds(String in, long wantMs) {
        assertEquals(wantMs, ApiParams.parseDuration("step", in));
    }

    @ParameterizedTest
    @CsvSource({"300y,''", "1000y,''", "9223372037,. It overflows int64", "Inf,. It overflows int64", "1e300,. It overflows int64", "NaN,''"})
    void durationsPastInt64NanosecondsAreRefused(String in, String suffix) {
        BadParameterException e = assertThrows(BadParameterException.class, () -> ApiParams.parseDuration("step", in));
        assertEquals("invalid parameter \"step\": cannot parse \"" + in + "\" to a valid duration" + suffix, e.getMessage());
    }

    @Test
    void rangePointsAreCountedWithoutOverflow() {
        String limit = "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)";
        // These wrapped around before: a 500 "internal: -445", or a single point.
        assertEquals(limit, assertThrows(BadParameterException.class,
                () -> ApiParams.range("-9223372036.854", "9223372036.854", "1000")).getMessage());
        assertEquals(limit, assertThrows(BadParameterException.class,
                () -> ApiParams.range("-9223372036.854", "9223372036.854", "1500000")).getMessage());
        assertEquals(limit, assertThrows(BadParameterException.class, () -> ApiParams.range("0", "11001", "1")).getMessage());
        assertEquals(new ApiParams.Range(0, 11_000_000, 1000), ApiParams.range("0", "11000", "1"));
        // 100 µs over 100 s: Prometheus counts in ns and refuses for points, before the step's ms are looked at.
        assertEquals(limit, assertThrows(BadParameterException.class, () -> ApiParams.range("0", "100", "0.0001")).getMessage());
        // Under 1 ms on a short range Prometheus fails with "integer divide by zero"; we say why.
        assertTrue(assertThrows(BadParameterException.class, () -> ApiParams.range("0", "1.1", "0.0009")).getMessage()
                .contains("steps under 1ms are not supported"));
        assertEquals(new ApiParams.Range(0, 3000, 1000), ApiParams.range("0", "3", "1.0005"));
        assertEquals(new ApiParams.Range(0, 172_800_000, 86_400_000), ApiParams.range("0", "172800", "1d"));
    }
}
