package dev.sandglass.storage.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RefSetTest {
    /** Checks every query of the set against the plain sorted array it was built from. */
    private static void assertSameAs(int[] sorted, RefSet set) {
        assertEquals(sorted.length, set.size());
        assertArrayEquals(sorted, set.toArray());
        int max = sorted.length == 0 ? 10 : sorted[sorted.length - 1] + 3;
        for (int ref = -2; ref <= max; ref++) {
            int want = Arrays.binarySearch(sorted, ref);
            assertEquals(want >= 0 ? want : -1, set.rank(ref), "rank of " + ref);
            assertEquals(want >= 0, set.has(ref), "has " + ref);
        }
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(sorted[i], set.get(i), "ref at " + i);
        }
    }

    @Test
    void runsOfRefsAreHeldAsRunsAndAnswerLikeTheArray() {
        int[] refs = new int[100_000];
        for (int i = 0; i < refs.length; i++) {
            refs[i] = i < 60_000 ? 5 + i : 70_000 + i; // two runs, as a seal of 100,000 scraped series
        }
        RefSet set = RefSet.ofSorted(refs);
        assertTrue(set.bytes() < 100, "two runs take a few ints, not 400 KB: " + set.bytes());
        assertEquals(0, set.rank(5));
        assertEquals(59_999, set.rank(60_004));
        assertEquals(-1, set.rank(60_005));
        assertEquals(60_000, set.rank(130_000));
        assertEquals(-1, set.rank(170_000));
        assertEquals(130_000, set.get(60_000));
        assertArrayEquals(refs, set.toArray());
    }

    @Test
    void anySetAnswersLikeTheSortedArray() {
        Random rnd = new Random(7);
        for (int round = 0; round < 200; round++) {
            int n = rnd.nextInt(60);
            int[] refs = new int[n];
            int ref = rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                refs[i] = ref;
                ref += rnd.nextInt(10) < 7 ? 1 : 2 + rnd.nextInt(5); // runs and gaps, mixed
            }
            assertSameAs(refs, RefSet.ofSorted(refs));
        }
        assertSameAs(new int[0], RefSet.ofSorted(new int[0]));
        assertSameAs(new int[] {3, 9, 40}, RefSet.ofSorted(new int[] {3, 9, 40}));
    }

    @Test
    void refsOutOfOrderAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RefSet.ofSorted(new int[] {1, 3, 2}));
        assertThrows(IllegalArgumentException.class, () -> RefSet.ofSorted(new int[] {1, 1}));
    }
}
