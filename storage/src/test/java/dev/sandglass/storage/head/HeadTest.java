package dev.sandglass.storage.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Samples;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadTest {
    private static Samples all(Head h, int ref) {
        Samples s = new Samples();
        h.copy(ref, Long.MIN_VALUE, Long.MAX_VALUE, s);
        return s;
    }

    private static long[] times(Samples s) {
        long[] t = new long[s.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = s.timestamp(i);
        }
        return t;
    }

    @Test
    void keepsTimeOrderAndTheLastWriteOfATimestamp() {
        Head h = new Head();
        for (long t : new long[] {10, 30, 20, 40, 5, 30}) {
            h.add(3, t, t * 2);
        }
        h.add(3, 20, -1.0);
        Samples s = all(h, 3);
        assertArrayEquals(new long[] {5, 10, 20, 30, 40}, times(s));
        assertEquals(-1.0, s.value(2), "last write of t=20 wins");
        assertEquals(60.0, s.value(3));
        assertEquals(5, h.samples());
        assertEquals(5, h.minT());
        assertEquals(40, h.maxT());
    }

    @Test
    void clearEmptiesEverySeriesAndKeepsWorking() {
        Head h = new Head();
        for (int ref = 0; ref < 300; ref++) {
            for (long t = 0; t < 50; t++) {
                h.add(ref, 1000 + t, ref + t);
            }
        }
        h.clear();
        assertTrue(h.isEmpty());
        assertEquals(Long.MAX_VALUE, h.minT());
        assertEquals(Long.MIN_VALUE, h.maxT());
        assertEquals(0, h.longestRun());
        assertEquals(List.of(), h.runs());
        for (int ref = 0; ref < 300; ref++) {
            assertEquals(0, all(h, ref).size(), "series " + ref + " after clear");
        }
        // Earlier timestamps than the old generation's: an old sample left behind would sort after.
        h.add(7, 500, 1.5);
        h.add(7, 400, 2.5);
        h.add(7, 1010, 3.5);
        Samples s = all(h, 7);
        assertArrayEquals(new long[] {400, 500, 1010}, times(s));
        assertEquals(3.5, s.value(2));
        assertEquals(1, h.runs().size());
        assertEquals(3, h.runs().get(0).size());
    }

    @Test
    void aPendingBatchIsFiledInWriteOrder() {
        Head h = new Head();
        h.add(1, 10, 1.0);
        h.addPending(new int[] {1, 1, 2}, new long[] {10, 5, 7}, new double[] {2.0, 3.0, 4.0}, 3);
        assertTrue(h.hasPending());
        assertTrue(!h.isEmpty());
        assertEquals(1, all(h, 1).size(), "a pending batch is not read until folded");
        // A second batch folds the first before it waits: at most one is pending, order kept.
        h.addPending(new int[] {1}, new long[] {10}, new double[] {9.0}, 1);
        assertArrayEquals(new long[] {5, 10}, times(all(h, 1)));
        assertEquals(2.0, all(h, 1).value(1), "t=10 from the first batch replaced the filed 1.0");
        h.fold();
        assertTrue(!h.hasPending());
        Samples s = all(h, 1);
        assertArrayEquals(new long[] {5, 10}, times(s));
        assertEquals(9.0, s.value(1), "the later batch's t=10 wins");
        assertEquals(1, all(h, 2).size());
        assertEquals(3, h.samples());
        h.addPending(new int[] {3}, new long[] {1}, new double[] {1}, 1);
        h.clear();
        h.fold();
        assertTrue(h.isEmpty(), "clear drops a pending batch too");
    }

    @Test
    void aHeadWithReadersIsNeverCleared() {
        Head h = new Head();
        h.add(0, 1, 1);
        h.acquire();
        assertThrows(IllegalStateException.class, h::clear);
        assertEquals(1, h.samples(), "untouched");
        h.release();
        h.clear();
        assertTrue(h.isEmpty());
    }

    /** The last sample in [from, to] as copyLast gives it, as "t=v", or "none". */
    private static String last(Head h, int ref, long from, long to) {
        Samples s = new Samples();
        return h.copyLast(ref, from, to, s) ? s.timestamp(0) + "=" + s.value(0) : "none";
    }

    @Test
    void copyLastFollowsEveryWayTheNewestSampleChanges() {
        Head h = new Head();
        assertEquals("none", last(h, 100, 0, 100), "a ref beyond any series");
        h.add(100, 10, 1);
        h.add(100, 20, 2);
        assertEquals("20=2.0", last(h, 100, 0, 100));
        h.add(100, 20, 3); // a rewrite of the newest timestamp
        assertEquals("20=3.0", last(h, 100, 0, 100));
        h.add(100, 15, 9); // an older sample inserted: the newest stays
        assertEquals("20=3.0", last(h, 100, 0, 100));
        h.add(100, 10, 7); // a rewrite of an older one
        assertEquals("20=3.0", last(h, 100, 0, 100));
        assertEquals("15=9.0", last(h, 100, 0, 19), "range ending before the newest: searched");
        assertEquals("none", last(h, 100, 21, 100), "newest before the range");
        assertEquals("none", last(h, 100, 0, 9));
        h.clear();
        assertEquals("none", last(h, 100, 0, 100), "cleared");
        h.add(100, 5, 4);
        assertEquals("5=4.0", last(h, 100, 0, 100), "after reuse");
        assertEquals("none", last(h, 3, 0, 100), "another series of the grown arrays");
    }

    @Test
    void aHeadAfterAnotherSizesEachSeriesByItsOwnLastRun() {
        Head prev = new Head();
        for (int t = 0; t < 600; t++) {
            prev.add(0, t, t); // collected every second
            if (t % 15 == 0) {
                prev.add(1, t, t); // scraped every 15 s: 40 samples
            }
        }
        Head next = Head.after(prev);
        next.add(0, 1000, 1);
        next.add(1, 1000, 1);
        next.add(2, 1000, 1); // new since
        // At first a few samples' room only: the seal still holds the old head (see SeriesRoom.EARLY_SAMPLES).
        assertTrue(next.capacity(0) <= 2 * SeriesRoom.EARLY_SAMPLES, "the busy series does not take its whole room at once: " + next.capacity(0));
        assertTrue(next.capacity(1) <= 2 * SeriesRoom.EARLY_SAMPLES, "nor the 15 s one: " + next.capacity(1));
        assertEquals(2, next.capacity(2), "a new series starts at two samples (churn mints many one-sample series)");
        for (int t = 1; t <= 2 * SeriesRoom.EARLY_SAMPLES; t++) {
            next.add(0, 1000 + t, t);
            next.add(1, 1000 + 15 * t, t);
        }
        assertTrue(next.capacity(0) >= 660, "then the busy series has room for its last run and a tenth: " + next.capacity(0));
        assertTrue(next.capacity(1) >= 44 && next.capacity(1) < 60, "the 15 s series gets its own size, not the busy one's: " + next.capacity(1));
        for (int t = 2 * SeriesRoom.EARLY_SAMPLES + 1; t < 700; t++) {
            next.add(0, 1000 + t, t);
        }
        assertEquals(700, all(next, 0).size(), "a run longer than its hint still grows");
    }

    @Test
    void aHeadAfterASealTakesItsSeriesRoomAfterAFewSamplesNotAtOnce() {
        Head prev = new Head();
        for (int t = 0; t < 40; t++) { // 10 minutes of 1,000 series scraped every 15 s
            for (int ref = 0; ref < 1000; ref++) {
                prev.add(ref, t * 15_000L, t);
            }
        }
        Head next = Head.after(prev);
        for (int ref = 0; ref < 1000; ref++) {
            next.add(ref, 600_000L, 1); // the first round after the swap, while the old head is sealed
        }
        assertTrue(next.bytes() < prev.bytes() / 2, "the new head holds a few samples' room, not the old head's: " + next.bytes() + " of " + prev.bytes());
        for (int t = 1; t < 40; t++) {
            for (int ref = 0; ref < 1000; ref++) {
                next.add(ref, 600_000L + t * 15_000L, t);
            }
        }
        for (int ref = 0; ref < 1000; ref++) {
            assertTrue(next.capacity(ref) >= 44 && next.capacity(ref) <= 50, "then the series' own last run and a tenth: " + next.capacity(ref));
            assertEquals(40, all(next, ref).size());
        }
    }

    @Test
    void aFirstHeadGrowsEachSeriesToLittleMoreThanItHolds() {
        Head h = new Head();
        for (int t = 0; t < 40; t++) { // a 10-minute head of series scraped every 15 s
            for (int ref = 0; ref < 1000; ref++) {
                h.add(ref, t * 15_000L, t);
            }
        }
        long room = 0;
        for (int ref = 0; ref < 1000; ref++) {
            assertTrue(h.capacity(ref) >= 40 && h.capacity(ref) <= 60, "room for 40 samples, a half more at most: " + h.capacity(ref));
            room += h.capacity(ref);
            assertEquals(40, all(h, ref).size());
        }
        assertTrue(room < 1000 * 50, "a quarter of slack on average, not 16-127 samples each: " + room);
    }

    @Test
    void aSeriesWithAHighRefCostsItsPageNotASlotPerRefBelowIt() {
        Head h = new Head();
        h.add(1_000_000, 10, 1); // serve's own series after a million imported ones
        h.add(1_000_001, 10, 2);
        assertTrue(h.bytes() < 64 * 1024, "one page of slots, not 28 bytes for each of a million refs: " + h.bytes());
        assertEquals("10=2.0", last(h, 1_000_001, 0, 100));
        assertEquals("none", last(h, 999_999, 0, 100));
        assertEquals("none", last(h, 5, 0, 100), "a ref on a page the head never had");
        assertEquals(2, h.runs().size());
        assertEquals(1_000_000, h.runs().get(0).ref());
        Head next = Head.after(h);
        next.add(1_000_001, 20, 3);
        next.add(7, 20, 3);
        assertEquals(1, all(next, 1_000_001).size());
        assertEquals(List.of(7, 1_000_001), next.runs().stream().map(Head.Run::ref).toList());
    }
}
