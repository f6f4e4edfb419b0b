package dev.sandglass.query.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DateFunctionsTest {
    @Test
    void civilAgreesWithJavaTimeAcrossEras() {
        Random rnd = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            long s = i < 1000 ? (i - 500) * 86_399L : rnd.nextLong() % 300_000_000_000_000L;
            LocalDateTime t = LocalDateTime.ofEpochSecond(s, 0, ZoneOffset.UTC);
            DateFunctions.Civil c = DateFunctions.civil(s);
            String at = "at " + s;
            assertEquals(t.getYear(), c.year(), at);
            assertEquals(t.getMonthValue(), c.month(), at);
            assertEquals(t.getDayOfMonth(), c.day(), at);
            assertEquals(t.getHour(), c.hour(), at);
            assertEquals(t.getMinute(), c.minute(), at);
            assertEquals(t.getDayOfWeek().getValue() % 7, c.dayOfWeek(), at);
            assertEquals(t.getDayOfYear(), c.dayOfYear(), at);
            assertEquals(t.toLocalDate().lengthOfMonth(), c.daysInMonth(), at);
        }
    }

    @Test
    void yearsPastJavaTimeRangeStillCompute() {
        // java.time stops at year 999,999,999; Go and this calendar do not.
        DateFunctions.Civil c = DateFunctions.civil(100_000_000_000_000_000L);
        // 1e17 s = 1,157,407,407,407 days; / 365.2425 days per Gregorian year = 3,168,873,850.7 years after 1970.
        assertEquals(3_168_875_820L, c.year(), "year");
        assertEquals(true, c.month() >= 1 && c.month() <= 12);
    }
}
