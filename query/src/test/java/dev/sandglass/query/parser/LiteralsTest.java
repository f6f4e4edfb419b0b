package dev.sandglass.query.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LiteralsTest {
    @ParameterizedTest
    @CsvSource({"0,0", "0s,0", "1ms,1", "1s,1000", "1m,60000", "1h30m,5400000", "1d,86400000", "1w,604800000",
        "1y,31536000000", "1y1w1d1h1m1s1ms,32230861001", "90m,5400000"})
    void durations(String text, long ms) {
        assertEquals(ms, Durations.parseMillis(text));
    }

    @ParameterizedTest
    @CsvSource({"1h1h", "1m1h", "1s1ms1s", "1", "h", "1.5h", "''", "-1m", "1M"})
    void badDurations(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parseMillis(text));
        assertTrue(e.getMessage().startsWith("not a valid duration string"), e.getMessage());
    }

    @Test
    void queryDurationsRejectZeroAndOverflow() {
        assertEquals("duration must be greater than 0",
                assertThrows(IllegalArgumentException.class, () -> Literals.durationMs("0s")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Literals.durationMs("9223372036854775807ms1y"))
                .getMessage().contains("not a valid duration string"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Literals.durationMs("300000000y"))
                .getMessage().startsWith("duration out of range"));
    }

    @ParameterizedTest
    @CsvSource({"0x10,16", "0XfF,255", "010,8", "08,8", "1e3,1000", "1E-3,0.001", ".5,0.5", "5.,5"})
    void numbers(String text, double want) {
        assertEquals(want, Literals.number(text));
    }

    @Test
    void specialNumbers() {
        assertEquals(Double.POSITIVE_INFINITY, Literals.number("iNf"));
        assertTrue(Double.isNaN(Literals.number("NAN")));
        assertThrows(IllegalArgumentException.class, () -> Literals.number("0x" + "f".repeat(17)));
        assertThrows(IllegalArgumentException.class, () -> Literals.number("1e400"));
    }

    @Test
    void goStringEscapes() {
        assertEquals("\u0007\b\f\n\r\t\u000b\\\"", Literals.unquote("\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\"\""));
        assertEquals("'", Literals.unquote("'\\''"));
        assertEquals("A\u00e9A\uD83D\uDE00\u00ff", Literals.unquote("\"\\x41\\u00e9\\101\\U0001F600\\377\""));
        assertEquals("\\n", Literals.unquote("`\\n`"));
        assertThrows(IllegalArgumentException.class, () -> Literals.unquote("'\\\"'"));
        assertThrows(IllegalArgumentException.class, () -> Literals.unquote("\"\\'\""));
        assertThrows(IllegalArgumentException.class, () -> Literals.unquote("\"\\q\""));
        assertThrows(IllegalArgumentException.class, () -> Literals.unquote("\"\\400\""));
        assertThrows(IllegalArgumentException.class, () -> Literals.unquote("\"\\uD800\""));
        assertThrows(IllegalArgumentException.class, () -> Literals.unquote("\"\\x4\""));
    }
}
