package dev.sandglass.query.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The batched range functions (all windows of a series at once) must give, bit for bit, what the
 * one-window functions give: those are the ones the Prometheus test corpus checks.
 */
class BatchFunctionsTest {
    private static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1e308, -1e308,
        Double.MIN_VALUE, Double.longBitsToDouble(0x7ff0000000000002L)};

    /**
     * kind 0: plain decimals; 1: with specials sprinkled in; 2: small integers with many ties;
     * 3: only -1, -0, +0 and NaN, so that which of two equal zeros wins shows.
     */
    private static double[] series(Random r, int n, int kind) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (kind) {
                case 0 -> Math.round(r.nextDouble() * 1e4) / 1e4;
                case 1 -> r.nextInt(10) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : r.nextGaussian() * 1e3;
                case 2 -> r.nextInt(5) - 2;
                default -> new double[] {-1, -0.0, 0.0, Double.NaN}[r.nextInt(4)];
            };
        }
        return v;
    }

    private interface One {
        boolean apply(Window w);
    }

    private static void check(RangeFunctions.Batch batch, One one, long seed) {
        Random r = new Random(seed);
        for (int kind = 0; kind < 4; kind++) {
            for (int trial = 0; trial < 50; trial++) {
                int n = 1 + r.nextInt(2000);
                double[] v = series(r, n, kind);
                // Windows that only move forward, of varying length, with gaps and repeats.
                int windows = 1 + r.nextInt(300);
                int[] from = new int[windows];
                int[] to = new int[windows];
                int lo = 0;
                int hi = 1;
                int k = 0;
                for (; k < windows && lo < n; k++) {
                    from[k] = lo;
                    to[k] = Math.min(n, Math.max(hi, lo + 1));
                    lo += r.nextInt(3) == 0 ? 0 : r.nextInt(40);
                    hi = Math.max(to[k], lo + 1 + r.nextInt(400));
                    lo = Math.min(lo, n - 1);
                }
                double[] out = new double[k];
                batch.apply(v, from, to, k, out);
                Window w = new Window();
                w.newSeries(new long[n], v, n);
                for (int i = 0; i < k; i++) {
                    w.from = from[i];
                    w.to = to[i];
                    one.apply(w);
                    if (Double.isNaN(w.result) && Double.isNaN(out[i])) {
                        // A NaN's sign and payload depend on operand order, which the JIT may swap
                        // (and every NaN is written "NaN"): any NaN is the same answer.
                        continue;
                    }
                    assertEquals(Double.doubleToRawLongBits(w.result), Double.doubleToRawLongBits(out[i]),
                            () -> "window [" + w.from + ", " + w.to + ")" + ": want " + w.result);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void avgMatchesOneWindowAtATime(long seed) {
        check(OverTimeFunctions::avgAll, OverTimeFunctions::avg, seed);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void maxMatchesOneWindowAtATime(long seed) {
        check(OverTimeFunctions::maxAll, OverTimeFunctions::max, seed);
        check(OverTimeFunctions::maxAll, w -> prometheusLoop(w, true), seed);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void minMatchesOneWindowAtATime(long seed) {
        check(OverTimeFunctions::minAll, OverTimeFunctions::min, seed);
        check(OverTimeFunctions::minAll, w -> prometheusLoop(w, false), seed);
    }

    /** max/min_over_time as Prometheus 2.42 writes the loop, kept apart from the code under test. */
    private static boolean prometheusLoop(Window w, boolean max) {
        double r = w.v[w.from];
        for (int i = w.from; i < w.to; i++) {
            double v = w.v[i];
            if ((max ? v > r : v < r) || Double.isNaN(r)) {
                r = v;
            }
        }
        w.result = r;
        return true;
    }
}
