package dev.sandglass.storage.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class IntListTest {
    @Test
    void keepsEveryRefInOrderWhateverTheGaps() {
        // Ascending with small and huge gaps, then refs out of order (a series only the map had).
        int[] refs = {0, 1, 2, 130, 131, 20_000, 2_000_000_000, 5, Integer.MAX_VALUE, 0, 16_384, 16_383};
        IntList l = new IntList();
        for (int r : refs) {
            l.add(r);
        }
        assertEquals(refs.length, l.size());
        assertArrayEquals(refs, l.toArray());
        int[] into = new int[refs.length + 2];
        l.copyTo(into, 2);
        assertEquals(Integer.MAX_VALUE, into[2 + 8]);
    }

    @Test
    void aMillionRandomRefsRoundTrip() {
        Random rnd = new Random(1);
        int[] refs = new int[1_000_000];
        IntList l = new IntList();
        for (int i = 0; i < refs.length; i++) {
            refs[i] = rnd.nextInt(3) == 0 ? rnd.nextInt(Integer.MAX_VALUE) : (i == 0 ? 0 : refs[i - 1] + rnd.nextInt(300));
            l.add(refs[i]);
        }
        assertArrayEquals(refs, l.toArray());
    }
}
