package dev.sandglass.storage.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.RollupSeries;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Values;
import java.util.ArrayList;
import java.util.List;

/**
 * Rollup windows computed the slow, obvious way from raw samples (each window on its own, every
 * figure by its definition), and a comparison with what the store returns.
 */
public final class BruteForce {
    private BruteForce() {
    }

    /** One window's figures. */
    public record Window(long start, long firstT, long lastT, double count, double sum, double min, double max, double first,
            double last, double increase, double changes, double resets) {
    }

    public static List<Window> windows(Samples raw, long res) {
        List<Window> out = new ArrayList<>();
        int i = 0;
        int n = raw.size();
        while (i < n) {
            long w = Math.floorDiv(raw.timestamp(i), res) * res;
            List<long[]> ts = new ArrayList<>();
            List<Double> vs = new ArrayList<>();
            while (i < n && Math.floorDiv(raw.timestamp(i), res) * res == w) {
                if (!Values.isStaleNaN(raw.value(i))) {
                    ts.add(new long[] {raw.timestamp(i)});
                    vs.add(raw.value(i));
                }
                i++;
            }
            if (vs.isEmpty()) {
                continue;
            }
            double sum = 0;
            double min = Double.NaN;
            double max = Double.NaN;
            for (double v : vs) {
                sum += v;
                if (Double.isNaN(min) || v < min) {
                    min = v;
                }
                if (Double.isNaN(max) || v > max) {
                    max = v;
                }
            }
            // Prometheus's increase without extrapolation: last - first plus the value before each reset.
            double inc = vs.get(vs.size() - 1) - vs.get(0);
            for (int k = 1; k < vs.size(); k++) {
                if (vs.get(k) < vs.get(k - 1)) {
                    inc += vs.get(k - 1);
                }
            }
            // Prometheus's funcChanges and funcResets over the window's samples.
            int changes = 0;
            int resets = 0;
            for (int k = 1; k < vs.size(); k++) {
                double p = vs.get(k - 1);
                double c = vs.get(k);
                if (c != p && !(Double.isNaN(c) && Double.isNaN(p))) {
                    changes++;
                }
                if (c < p) {
                    resets++;
                }
            }
            out.add(new Window(w, ts.get(0)[0], ts.get(ts.size() - 1)[0], vs.size(), sum, min, max, vs.get(0),
                    vs.get(vs.size() - 1), inc, changes, resets));
        }
        return out;
    }

    /** Asserts the store's windows equal the brute-force ones (sums and increases to 1e-9 relative). */
    public static void assertSame(List<Window> want, RollupSeries got, String what) {
        assertSame(want, got, what, true);
        for (int k = 0; k < want.size(); k++) {
            Window w = want.get(k);
            assertEquals(w.changes(), got.changes()[k], what + " window " + k + " (" + w.start() + ") changes");
            assertEquals(w.resets(), got.resets()[k], what + " window " + k + " (" + w.start() + ") resets");
        }
    }

    /**
     * As above without changes and resets when {@code changes} is false: those must then be
     * unknown (NaN, as read from an excerpt older than version 3) or at most the brute-force count
     * (windows whose parts interleave in time: changes between the parts are not seen).
     */
    public static void assertSame(List<Window> want, RollupSeries got, String what, boolean changes) {
        assertEquals(want.size(), got.size(), what + ": windows");
        for (int k = 0; k < want.size(); k++) {
            Window w = want.get(k);
            String at = what + " window " + k + " (" + w.start() + ")";
            assertEquals(w.start(), got.windowStart()[k], at + " start");
            assertEquals(w.firstT(), got.firstT()[k], at + " firstT");
            assertEquals(w.lastT(), got.lastT()[k], at + " lastT");
            assertEquals(w.count(), got.count()[k], at + " count");
            close(w.sum(), got.sum()[k], at + " sum");
            assertEquals(w.min(), got.min()[k], at + " min");
            assertEquals(w.max(), got.max()[k], at + " max");
            assertEquals(w.first(), got.first()[k], at + " first");
            assertEquals(w.last(), got.last()[k], at + " last");
            close(w.increase(), got.increase(k), at + " increase");
            if (!changes && !Double.isNaN(got.changes()[k])) {
                assertTrue(got.changes()[k] <= w.changes(), at + " changes " + got.changes()[k] + " > " + w.changes());
                assertTrue(got.resets()[k] <= w.resets(), at + " resets " + got.resets()[k] + " > " + w.resets());
            }
        }
    }

    private static void close(double want, double got, String what) {
        if (Double.isNaN(want) || Double.isNaN(got)) {
            assertEquals(Double.isNaN(want), Double.isNaN(got), what + ": " + got + ", want " + want);
            return;
        }
        assertEquals(want, got, 1e-9 * Math.max(1, Math.abs(want)), what);
    }
}
