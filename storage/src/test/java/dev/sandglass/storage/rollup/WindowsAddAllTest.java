package dev.sandglass.storage.rollup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandglass.storage.api.Values;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Adding a run at once gives the very windows adding its samples one by one gives, bit for bit. */
class WindowsAddAllTest {
    private static double value(Random rnd, double prev) {
        return switch (rnd.nextInt(12)) {
            case 0 -> Double.NaN;
            case 1 -> Double.longBitsToDouble(Values.STALE_NAN_BITS);
            case 2 -> 0; // a counter reset
            case 3 -> -0.0;
            default -> prev + rnd.nextDouble() * 10 - (rnd.nextInt(5) == 0 ? 20 : 0);
        };
    }

    private static void assertSame(Windows a, Windows b, String msg) {
        assertEquals(a.size, b.size, msg);
        int n = a.size;
        assertArrayEquals(Arrays.copyOf(a.start, n), Arrays.copyOf(b.start, n), msg);
        assertArrayEquals(Arrays.copyOf(a.firstT, n), Arrays.copyOf(b.firstT, n), msg);
        assertArrayEquals(Arrays.copyOf(a.lastT, n), Arrays.copyOf(b.lastT, n), msg);
        for (double[][] col : new double[][][] {{a.count, b.count}, {a.sum, b.sum}, {a.min, b.min}, {a.max, b.max},
            {a.first, b.first}, {a.last, b.last}, {a.corr, b.corr}, {a.chg, b.chg}, {a.rst, b.rst}}) {
            for (int i = 0; i < n; i++) {
                assertEquals(Double.doubleToRawLongBits(col[0][i]), Double.doubleToRawLongBits(col[1][i]), msg + " entry " + i);
            }
        }
    }

    @Test
    void runsMatchOneByOne() {
        Random rnd = new Random(17);
        for (int round = 0; round < 2_000; round++) {
            long res = rnd.nextBoolean() ? 300_000 : 3_600_000;
            int n = 1 + rnd.nextInt(400);
            long[] t = new long[n];
            double[] v = new double[n];
            // Mostly in time order, from before 1970 too; now and then out of order (add's contract
            // is time order, but the two must still agree).
            long at = (rnd.nextBoolean() ? -1 : 1) * (long) rnd.nextInt(1 << 30) * 1000;
            double prev = 0;
            for (int i = 0; i < n; i++) {
                at += rnd.nextInt(50) == 0 ? -rnd.nextInt(600_000) : rnd.nextInt(rnd.nextBoolean() ? 20_000 : 900_000);
                t[i] = at;
                v[i] = prev = value(rnd, prev);
                if (Double.isNaN(prev)) {
                    prev = 1;
                }
            }
            Windows one = new Windows(res, 1);
            Windows runs = new Windows(res, 1);
            // Split in a few runs: a run may continue the window the previous one ended in.
            int from = 0;
            while (from < n) {
                int len = Math.min(n - from, 1 + rnd.nextInt(n));
                for (int k = from; k < from + len; k++) {
                    one.add(t[k], v[k]);
                }
                runs.addAll(t, v, from, len);
                from += len;
            }
            assertSame(one, runs, "round " + round);
        }
    }
}
