package dev.sandglass.ingest.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The flat scrape cache: lookups by the line's bytes, and the flush that renumbers what it keeps. */
class SeriesCacheTest {
    private static byte[] key(int i) {
        // Inside a larger buffer, as lines sit in a scraped body.
        return ("xx" + "m{shard=\"" + i + "\"}" + " 1\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int find(SeriesCache c, int i) {
        byte[] b = key(i);
        int e = b.length - 3;
        return c.find(b, 2, e, SeriesCache.hash(b, 2, e));
    }

    @Test
    void findsWhatWasAddedAndForgetsWhatTheLastGoodScrapeDidNotSee() {
        SeriesCache c = new SeriesCache();
        for (int i = 0; i < 5000; i++) {
            byte[] b = key(i);
            int e = b.length - 3;
            int en = c.add(b, 2, e, SeriesCache.hash(b, 2, e), 1000L + i, i % 3 != 0);
            c.see(en, 1);
        }
        assertEquals(5000, c.size());
        for (int i = 0; i < 5000; i += 2) {
            c.see(find(c, i), 2);
        }
        c.retainSeenIn(2);
        assertEquals(2500, c.size());
        for (int i = 0; i < 5000; i++) {
            int en = find(c, i);
            if (i % 2 == 1) {
                assertEquals(-1, en, "series " + i + " was not seen in scrape 2");
                continue;
            }
            assertTrue(en >= 0, "series " + i);
            assertEquals(1000L + i, c.ref(en));
            assertEquals(i % 3 != 0, c.tracked(en));
            assertEquals(2, c.lastIter(en));
            assertEquals(1, c.prevIter(en));
        }
        byte[] b = key(1);
        int e = b.length - 3;
        int en = c.add(b, 2, e, SeriesCache.hash(b, 2, e), 7, true);
        assertEquals(en, find(c, 1), "a series that comes back is found again");
        assertEquals(-1, c.lastIter(en));
    }
}
