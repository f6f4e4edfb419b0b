package dev.sandglass.storage.rollup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.RollupSeries;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Windows.merge gives the windows of all the samples taken at once, whether the parts follow one
 * another (cut at random seams, in any list order: the concatenating path) or overlap in time
 * (the sorting path), with resets across seams; and so do excerpts decoded onto one another.
 */
class WindowsMergeTest {
    private static final long RES = 300_000;

    @Test
    void partsCutAtSeamsMergeAsIfWrittenAtOnce() {
        Random rnd = new Random(7);
        for (int round = 0; round < 200; round++) {
            long[] t = new long[1 + rnd.nextInt(3000)];
            double[] v = new double[t.length];
            series(rnd, t, v);
            Windows whole = new Windows(RES, 4);
            whole.addAll(t, v, 0, t.length);
            List<Windows> parts = new ArrayList<>();
            int from = 0;
            while (from < t.length) {
                int n = Math.min(t.length - from, 1 + rnd.nextInt(rnd.nextBoolean() ? 50 : 1500));
                Windows p = new Windows(RES, 4);
                p.addAll(t, v, from, n);
                parts.add(p);
                if (rnd.nextInt(4) == 0) {
                    parts.add(new Windows(RES, 1));
                }
                from += n;
            }
            Collections.shuffle(parts, rnd);
            assertSame(whole, Windows.merge(RES, parts));
        }
    }

    @Test
    void excerptsDecodedOntoOneAnotherGiveTheWindowsOfAllTheSamples() {
        Random rnd = new Random(11);
        for (int round = 0; round < 100; round++) {
            long[] t = new long[1 + rnd.nextInt(3000)];
            double[] v = new double[t.length];
            series(rnd, t, v);
            Windows whole = new Windows(RES, 4);
            whole.addAll(t, v, 0, t.length);
            List<byte[]> excerpts = new ArrayList<>();
            int from = 0;
            while (from < t.length) {
                int n = Math.min(t.length - from, 1 + rnd.nextInt(1500));
                Windows p = new Windows(RES, 4);
                p.addAll(t, v, from, n);
                excerpts.add(RollupCodec.encode(RES, java.util.Map.of(3, p), -1, -1));
                from += n;
            }
            Windows into = new Windows(RES, 1);
            for (byte[] b : excerpts) {
                assertTrue(RollupCodec.decodeOnto(b, RollupCodec.header(b), 0, into));
            }
            assertSame(whole, into);
            if (excerpts.size() > 1) {
                // Out of order: refused, the windows so far kept as they were.
                Windows later = new Windows(RES, 1);
                byte[] last = excerpts.get(excerpts.size() - 1);
                byte[] first = excerpts.get(0);
                assertTrue(RollupCodec.decodeOnto(last, RollupCodec.header(last), 0, later));
                RollupSeries before = later.toSeries(Labels.of("__name__", "x"));
                assertFalse(RollupCodec.decodeOnto(first, RollupCodec.header(first), 0, later));
                assertSame(before, later.toSeries(Labels.of("__name__", "x")));
            }
        }
    }

    @Test
    void overlappingPartsAreSortedByWindowThenFirstSample() {
        // Two series of samples interleaved in time, each its own part: windows shared by both.
        Windows a = new Windows(RES, 4);
        a.addAll(new long[] {1_000, 3_000, 700_000}, new double[] {5, 7, 9}, 0, 3);
        Windows b = new Windows(RES, 4);
        b.addAll(new long[] {2_000, 400_000}, new double[] {1, 2}, 0, 2);
        Windows m = Windows.merge(RES, List.of(a, b));
        RollupSeries s = m.toSeries(Labels.of("__name__", "x"));
        assertArrayEquals(new long[] {0, 300_000, 600_000}, s.windowStart());
        assertArrayEquals(new double[] {3, 1, 1}, s.count());
        assertArrayEquals(new double[] {13, 2, 9}, s.sum());
        assertArrayEquals(new double[] {1, 2, 9}, s.min());
        assertArrayEquals(new double[] {7, 2, 9}, s.max());
    }

    private static void series(Random rnd, long[] t, double[] v) {
        long at = rnd.nextInt(1_000_000);
        double c = 0;
        for (int i = 0; i < t.length; i++) {
            at += 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 900_000 : 20_000);
            // Resets, repeated values (not changes) and runs of NaN (NaN to NaN is not a change either).
            c = rnd.nextInt(50) == 0 ? rnd.nextInt(10) : rnd.nextInt(3) == 0 ? c : c + rnd.nextInt(100);
            t[i] = at;
            boolean nan = rnd.nextInt(30) == 0 || (i > 0 && Double.isNaN(v[i - 1]) && rnd.nextBoolean());
            v[i] = nan ? Double.NaN : c;
        }
    }

    private static void assertSame(Windows expected, Windows actual) {
        assertSame(expected.toSeries(Labels.of("__name__", "x")), actual.toSeries(Labels.of("__name__", "x")));
    }

    private static void assertSame(RollupSeries e, RollupSeries a) {
        assertArrayEquals(e.windowStart(), a.windowStart());
        assertArrayEquals(e.firstT(), a.firstT());
        assertArrayEquals(e.lastT(), a.lastT());
        assertArrayEquals(e.count(), a.count());
        assertArrayEquals(e.sum(), a.sum(), 1e-9);
        assertArrayEquals(e.min(), a.min());
        assertArrayEquals(e.max(), a.max());
        assertArrayEquals(e.first(), a.first());
        assertArrayEquals(e.last(), a.last());
        assertArrayEquals(e.correction(), a.correction(), 1e-9);
        assertArrayEquals(e.changes(), a.changes());
        assertArrayEquals(e.resets(), a.resets());
    }
}
