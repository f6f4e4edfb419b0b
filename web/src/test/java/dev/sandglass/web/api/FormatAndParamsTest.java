package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatAndParamsTest {
    @ParameterizedTest
    // Prometheus 2.42's API writes 'e' notation below 1e-6 and from 1e21 on (as a real Prometheus
    // 2.42 answered for 1e21, 1e-7, 1.5e-7, 1.79e308 and 5e-324; see ScrapeVsPrometheusTest).
    @CsvSource({"NaN,NaN", "Infinity,+Inf", "-Infinity,-Inf", "1e21,1e+21", "1e-7,1e-07", "1.5e-7,1.5e-07", "0.000001,0.000001",
            "1e20,100000000000000000000", "999999999999999999999,1e+21",
            "-0.0,-0", "0.1,0.1", "123456789,123456789", "1.5,1.5", "9007199254740993,9007199254740992",
            "0.30000000000000004,0.30000000000000004", "-2.5e-3,-0.0025", "1.25e-5,0.0000125", "1.5e300,1.5e+300", "123456.789,123456.789", "-1e-7,-1e-07",
            "1.7976931348623157e308,1.7976931348623157e+308", "123456789012345678,123456789012345680",
            // Java 17's Double.toString gives 2.82879384806159008E17 here: not the shortest; Go's is.
            "2.82879384806159E17,282879384806159000", "1.0E23,1e+23"})
    void valuesFormatLikeGo(String in, String want) {
        double v = Double.parseDouble(in);
        assertEquals(want, PromFormat.value(v));
        StringBuilder sb = new StringBuilder();
        PromFormat.value(v, sb);
        assertEquals(want, sb.toString(), "appending form");
    }

    @org.junit.jupiter.api.Test
    void subnormalsTakeGosOneShortestDigit() {
        // Java's notation insists on two digits (4.9E-324); Go prints 5e-324.
        assertEquals("5e-324", PromFormat.value(Double.MIN_VALUE));
        assertEquals("-1e-323", PromFormat.value(-2 * Double.MIN_VALUE));
    }

    @ParameterizedTest
    @CsvSource({"1435781451781,1435781451.781", "1000,1", "1500,1.5", "0,0", "-1500,-1.5", "10,0.01", "1001,1.001", "1010,1.01", "1100,1.1"})
    void timestampsAsSeconds(long ms, String want) {
        assertEquals(want, PromFormat.timestamp(ms));
    }

    @ParameterizedTest
    @CsvSource({"1435781451.781,1435781451781", "1435781451,1435781451000", "2015-07-01T20:10:51.781Z,1435781451781",
            "2015-07-01T22:10:51+02:00,1435781451000", "-1.5,-1500"})
    void timesParse(String in, long want) {
        assertEquals(want, ApiParams.parseTime("time", in));
    }

    @ParameterizedTest
    @CsvSource({"15,15000", "0.5,500", "1m,60000", "1h30m,5400000", "100ms,100"})
    void durationsParse(String in, long want) {
        assertEquals(want, ApiParams.parseDuration("step", in));
    }

    @ParameterizedTest
    @CsvSource({"time,x", "time,''", "time,2015-13-01T00:00:00Z"})
    void badTimes(String name, String in) {
        BadParameterException e = assertThrows(BadParameterException.class, () -> ApiParams.parseTime(name, in));
        assertEquals("invalid parameter \"" + name + "\": cannot parse \"" + in + "\" to a valid timestamp", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"1x", "m", "''"})
    void badDurations(String in) {
        BadParameterException e = assertThrows(BadParameterException.class, () -> ApiParams.parseDuration("step", in));
        assertEquals("invalid parameter \"step\": cannot parse \"" + in + "\" to a valid duration", e.getMessage());
    }
}
