package dev.sandglass.storage.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SamplesSeekTest {
    /** The linear scan that seek replaces. */
    private static int scan(long[] a, int n, int from, long t, boolean strict) {
        int i = from;
        while (i < n && (strict ? a[i] <= t : a[i] < t)) {
            i++;
        }
        return i;
    }

    @Test
    void gallopingFindsWhatAScanFinds() {
        Random r = new Random(7);
        for (int trial = 0; trial < 2_000; trial++) {
            int n = r.nextInt(300);
            long[] a = new long[n + 3];
            long t = r.nextInt(5);
            for (int i = 0; i < n; i++) {
                t += r.nextInt(4); // repeats allowed: ties must land like the scan
                a[i] = t;
            }
            for (int q = 0; q < 20; q++) {
                int from = n == 0 ? 0 : r.nextInt(n + 1);
                long target = r.nextInt((int) t + 10) - 3;
                for (boolean strict : new boolean[] {true, false}) {
                    assertEquals(scan(a, n, from, target, strict), Samples.seek(a, n, from, target, strict),
                            "n=" + n + " from=" + from + " t=" + target + " strict=" + strict);
                }
            }
        }
    }
}
