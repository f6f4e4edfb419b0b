package dev.sandglass.query.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * topk and bottomk trust avg_over_time's intervals to skip exact means: an interval that misses
 * the exact (Prometheus) mean would silently change which series rank. The data is built to
 * stress the rounding: large offsets with tiny variations, alternating signs, mixed magnitudes,
 * subnormals and long windows.
 */
class AvgBoundsTest {
    private static double[] series(Random r, int n, int kind) {
        double[] v = new double[n];
        double offset = r.nextDouble() * 1e12;
        for (int i = 0; i < n; i++) {
            v[i] = switch (kind) {
                case 0 -> Math.round(r.nextDouble() * 4e4) / 1e4;
                case 1 -> offset + r.nextDouble() * 1e-3;
                case 2 -> (i % 2 == 0 ? 1 : -1) * (1e15 + r.nextInt(1000));
                case 3 -> r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
                case 4 -> Double.MIN_VALUE * r.nextInt(1000) * (r.nextBoolean() ? 1 : -1);
                case 5 -> 1e296 * r.nextDouble();
                default -> i < n / 2 ? 1e300 / n : -1e300 / n + r.nextDouble();
            };
        }
        return v;
    }

    @Test
    void everyIntervalHoldsTheExactMeanAndPrometheusLoopStaysWithinTheDerivedBound() {
        Random r = new Random(11);
        Window scratch = new Window();
        for (int kind = 0; kind < 7; kind++) {
            for (int trial = 0; trial < 30; trial++) {
                int n = 1 + r.nextInt(5000);
                double[] v = series(r, n, kind);
                int windows = 1 + r.nextInt(200);
                int[] from = new int[windows];
                int[] to = new int[windows];
                int k = 0;
                int lo = r.nextInt(Math.max(1, n / 4));
                for (; k < windows && lo < n; k++) {
                    from[k] = lo;
                    to[k] = Math.min(n, lo + 1 + r.nextInt(1500));
                    lo += r.nextInt(60);
                }
                double[] low = new double[k];
                double[] high = new double[k];
                OverTimeFunctions.avgBounds(v, from, to, k, low, high, scratch);
                double max = 0;
                for (double x : v) {
                    max = Math.max(max, Math.abs(x));
                }
                for (int w = 0; w < k; w++) {
                    double prometheus = OverTimeFunctions.avg(v, from[w], to[w]);
                    String where = "kind " + kind + " trial " + trial + " window " + w;
                    assertTrue(low[w] <= prometheus && prometheus <= high[w], where + ": " + prometheus + " not in [" + low[w] + ", " + high[w] + "]");
                    // The derivation behind the interval: |loop - exact mean| <= U V ((n-1)/2 + 5).
                    int count = to[w] - from[w];
                    BigDecimal sum = BigDecimal.ZERO;
                    for (int i = from[w]; i < to[w]; i++) {
                        sum = sum.add(new BigDecimal(v[i]));
                    }
                    BigDecimal exact = sum.divide(BigDecimal.valueOf(count), MathContext.DECIMAL128);
                    double error = new BigDecimal(prometheus).subtract(exact).abs().doubleValue();
                    double bound = 0x1p-53 * max * ((count - 1) / 2.0 + 5) + 4.0 * count * Double.MIN_VALUE;
                    assertTrue(error <= bound, where + ": loop off by " + error + ", bound " + bound);
                }
            }
        }
    }

    @Test
    void intervalsAreNarrowOnOrdinaryDataSoRankingCanSkipWork() {
        Random r = new Random(5);
        double[] v = series(r, 21_600, 0);
        int windows = 361;
        int[] from = new int[windows];
        int[] to = new int[windows];
        for (int w = 0; w < windows; w++) {
            to[w] = Math.min(v.length, 300 + w * 60);
            from[w] = to[w] - 300;
        }
        double[] low = new double[windows];
        double[] high = new double[windows];
        OverTimeFunctions.avgBounds(v, from, to, windows, low, high, new Window());
        for (int w = 0; w < windows; w++) {
            assertTrue(high[w] - low[w] < 1e-9, "window " + w + ": [" + low[w] + ", " + high[w] + "]");
        }
    }

    @Test
    void seriesWithNaNOrInfinityIsUnbounded() {
        for (double special : new double[] {Double.NaN, Double.POSITIVE_INFINITY, 1e308}) {
            double[] v = {1, 2, special, 4};
            double[] low = new double[2];
            double[] high = new double[2];
            OverTimeFunctions.avgBounds(v, new int[] {0, 3}, new int[] {2, 4}, 2, low, high, new Window());
            for (int w = 0; w < 2; w++) {
                assertEquals(Double.NEGATIVE_INFINITY, low[w]);
                assertEquals(Double.POSITIVE_INFINITY, high[w]);
            }
        }
    }
}
