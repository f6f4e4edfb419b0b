package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The idle collection lowers the free ratios for itself only: left lowered, every later burst of
 * queries would run in a heap kept at its live data, one full collection after another.
 */
class TightCollectionTest {
    @Test
    void theLaunchersRatiosAreBackAfterTheCollection() {
        String before = TightCollection.ratios();
        String[] during = new String[1];
        TightCollection.run(() -> during[0] = TightCollection.ratios());
        assertEquals(TightCollection.MIN_FREE + "/" + TightCollection.MAX_FREE, during[0]);
        assertEquals(before, TightCollection.ratios());
        TightCollection.run(); // the real collection, too, leaves them as they were
        assertEquals(before, TightCollection.ratios());
    }
}
