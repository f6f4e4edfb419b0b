package dev.sandglass.query.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class WindowTest {
    @Test
    void resetIndexGivesTheSameBitsAsPrometheusLoop() {
        Random rnd = new Random(3);
        int n = 5000;
        long[] t = new long[n];
        double[] v = new double[n];
        double c = 0;
        for (int i = 0; i < n; i++) {
            t[i] = i * 1000L;
            c = rnd.nextInt(30) == 0 ? rnd.nextDouble() * 10 : c + rnd.nextDouble() * 1e6;
            v[i] = c;
        }
        Window w = new Window();
        w.newSeries(t, v, n);
        for (int iter = 0; iter < 2000; iter++) {
            int from = rnd.nextInt(n);
            int to = from + 1 + rnd.nextInt(n - from);
            w.from = from;
            w.to = to;
            double want = v[to - 1] - v[from];
            int resets = 0;
            for (int i = from + 1; i < to; i++) {
                if (v[i] < v[i - 1]) {
                    want += v[i - 1];
                    resets++;
                }
            }
            double start = v[to - 1] - v[from];
            assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(w.addResetCorrection(start)));
            assertEquals(resets, w.resetsInWindow());
        }
    }
}
