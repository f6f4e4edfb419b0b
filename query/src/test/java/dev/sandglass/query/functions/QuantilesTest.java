package dev.sandglass.query.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantilesTest {
    /** Prometheus's definition, literally: sort with NaN first, interpolate between ranks. */
    private static double bySorting(double q, double[] in) {
        Double[] v = Arrays.stream(in).boxed().toArray(Double[]::new);
        Arrays.sort(v, (a, b) -> Double.isNaN(a) ? (Double.isNaN(b) ? 0 : -1) : Double.isNaN(b) ? 1 : Double.compare(a, b));
        double rank = q * (v.length - 1);
        double lower = Math.max(0, Math.floor(rank));
        double upper = Math.min(v.length - 1, lower + 1);
        double w = rank - Math.floor(rank);
        return v[(int) lower] * (1 - w) + v[(int) upper] * w;
    }

    @Test
    void selectionAgreesWithSortingOnRandomWindows() {
        Random rnd = new Random(7);
        double[] pool = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 1, 1, 2.5};
        for (int iter = 0; iter < 20_000; iter++) {
            int n = 1 + rnd.nextInt(iter % 2 == 0 ? 8 : 200);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = rnd.nextInt(4) == 0 ? pool[rnd.nextInt(pool.length)] : rnd.nextInt(50) - 20;
            }
            double q = rnd.nextInt(5) == 0 ? rnd.nextInt(3) / 2.0 : rnd.nextDouble();
            double want = bySorting(q, v.clone());
            double got = Quantiles.quantile(q, v.clone(), n);
            assertEquals(Double.doubleToLongBits(want + 0.0), Double.doubleToLongBits(got + 0.0),
                    () -> "q=" + q + " values=" + Arrays.toString(v) + " got " + got + " want " + want);
        }
    }

    @ParameterizedTest
    @CsvSource({
        // q, values, want (Prometheus 2.42 answers)
        "0.5, 1 2 3 4, 2.5",
        "0, 5 1 3, 1",
        "1, 5 1 3, 5",
        "-1, 5 1 3, -Infinity",
        "2, 5 1 3, Infinity",
        "0.5, NaN 1 2, 1",
        "0.25, 2, 2",
    })
    void quantileTable(double q, String values, double want) {
        double[] v = Arrays.stream(values.split(" ")).mapToDouble(Double::parseDouble).toArray();
        assertEquals(want, Quantiles.quantile(q, v, v.length));
    }

    @ParameterizedTest
    @CsvSource({
        // q, bounds, cumulative counts, want
        "0.5, 1 2 Infinity, 10 20 20, 1",
        "0.75, 1 2 Infinity, 10 20 20, 1.5",
        "0.99, 1 2 Infinity, 10 20 30, 2",
        "0.5, 1 2, 10 20, NaN",
        "0.5, -1 Infinity, 10 10, -1",
        "0.5, 1 2 Infinity, 0 0 0, NaN",
        // Non-monotonic counts are forced up: 2 -> 10.
        "0.75, 1 2 3 Infinity, 10 2 20 20, 2.5",
        // Equal bounds are merged (unmerged, the first would hold the whole rank: 1).
        "0.5, 1 1 Infinity, 5 5 10, 0.5",
    })
    void bucketQuantileTable(double q, String bounds, String counts, double want) {
        double[] b = Arrays.stream(bounds.split(" ")).mapToDouble(Double::parseDouble).toArray();
        double[] c = Arrays.stream(counts.split(" ")).mapToDouble(Double::parseDouble).toArray();
        assertEquals(want, Quantiles.bucketQuantile(q, b, c, b.length), 1e-12);
    }
}
