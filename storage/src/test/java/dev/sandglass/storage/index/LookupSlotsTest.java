package dev.sandglass.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LookupSlotsTest {
    /** Hashes that sometimes collide (every 500th id shares one), and neighbours' that cluster. */
    private static int hashOf(int id) {
        return id % 500 == 0 ? 42 : id * 0x2545F491;
    }

    private static int probe(LookupSlots slots, int id) {
        for (int i = slots.first(hashOf(id));; i = slots.next(i)) {
            int held = slots.get(i);
            if (held < 0 || held == id) {
                return held;
            }
        }
    }

    @Test
    void everyIdIsFoundAcrossGrowthAndTheTableStaysBetweenHalfAndThreeQuartersFull() {
        LookupSlots slots = new LookupSlots(ScratchPages.onHeap());
        int n = 1_000_000;
        for (int id = 0; id < n; id++) {
            if (id == 7) {
                continue; // a gap: a ref lost to damage is never held
            }
            int count = id < 7 ? id + 1 : id;
            slots.add(id, hashOf(id), count, id + 1, x -> x != 7, LookupSlotsTest::hashOf);
        }
        for (int id = 0; id < n; id++) {
            assertEquals(id == 7 ? -1 : id, probe(slots, id), "id " + id);
        }
        long size = slots.bytes() / 4;
        assertTrue(size >= (n - 1) * 4L / 3 && size <= (n - 1) * 2L + ScratchPages.PAGE / 4, "size " + size);
        assertTrue(slots.bytes() < 8L << 20, "a power of two doubling at 3/4 would hold 8 MiB: " + slots.bytes());
    }
}
