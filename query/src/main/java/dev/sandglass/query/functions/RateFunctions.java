package dev.sandglass.query.functions;

import dev.sandglass.query.engine.PromQLException;
import java.util.Locale;

/** Range functions about change: rate family, irate/idelta, resets, changes, deriv, predict_linear, holt_winters. */
final class RateFunctions {
    private RateFunctions() {
    }

    /**
     * Prometheus's extrapolatedRate: the increase between first and last sample (corrected for
     * counter resets when {@code counter}), extrapolated towards the window bounds when the samples
     * stop short of them by less than 1.1 average intervals (else by half an interval), and for
     * counters never extrapolated below zero.
     */
    static boolean extrapolatedRate(Window w, boolean counter, boolean perSecond) {
        int n = w.size();
        if (n < 2) {
            return false;
        }
        long[] t = w.t;
        double[] v = w.v;
        int first = w.from;
        int last = w.to - 1;
        double result = v[last] - v[first];
        if (counter) {
            result = w.addResetCorrection(result);
        }
        double durationToStart = (t[first] - w.rangeStartMs) / 1000.0;
        double durationToEnd = (w.rangeEndMs - t[last]) / 1000.0;
        double sampledInterval = (t[last] - t[first]) / 1000.0;
        double averageInterval = sampledInterval / (n - 1);
        if (counter && result > 0 && v[first] >= 0) {
            double durationToZero = sampledInterval * (v[first] / result);
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }
        double threshold = averageInterval * 1.1;
        double extrapolateTo = sampledInterval;
        extrapolateTo += durationToStart < threshold ? durationToStart : averageInterval / 2;
        extrapolateTo += durationToEnd < threshold ? durationToEnd : averageInterval / 2;
        double factor = extrapolateTo / sampledInterval;
        if (perSecond) {
            factor /= w.rangeMs / 1000.0;
        }
        w.result = result * factor;
        return true;
    }

    /** irate and idelta: from the last two samples only. */
    static boolean instantValue(Window w, boolean perSecond) {
        if (w.size() < 2) {
            return false;
        }
        int last = w.to - 1;
        double lastV = w.v[last];
        double prevV = w.v[last - 1];
        double result = perSecond && lastV < prevV ? lastV : lastV - prevV;
        long interval = w.t[last] - w.t[last - 1];
        if (interval == 0) {
            return false;
        }
        if (perSecond) {
            result /= interval / 1000.0;
        }
        w.result = result;
        return true;
    }

    static boolean resets(Window w) {
        w.result = w.resetsInWindow();
        return true;
    }

    static boolean changes(Window w) {
        int changes = 0;
        double prev = w.v[w.from];
        for (int i = w.from + 1; i < w.to; i++) {
            double cur = w.v[i];
            if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) {
                changes++;
            }
            prev = cur;
        }
        w.result = changes;
        return true;
    }

    static boolean deriv(Window w) {
        if (w.size() < 2) {
            return false;
        }
        // Regress around the first sample's time, as Prometheus does, to keep x small (its issue 2674).
        w.result = regression(w, w.t[w.from]);
        return true;
    }

    static boolean predictLinear(Window w, double duration) {
        if (w.size() < 2) {
            return false;
        }
        double slope = regression(w, w.evalTimeMs);
        double intercept = w.result;
        w.result = slope * duration + intercept;
        return true;
    }

    /**
     * Least-squares slope of the window's samples against seconds since {@code interceptTime};
     * the intercept at that time is left in {@code w.result}. Sums are compensated as in
     * Prometheus's linearRegression, including its constant-series shortcut.
     */
    private static double regression(Window w, long interceptTime) {
        KahanSum sx = new KahanSum();
        KahanSum sy = new KahanSum();
        KahanSum sxy = new KahanSum();
        KahanSum sx2 = new KahanSum();
        double n = 0;
        double initY = w.v[w.from];
        boolean constY = true;
        for (int i = w.from; i < w.to; i++) {
            double y = w.v[i];
            if (constY && i > w.from && y != initY) {
                constY = false;
            }
            n += 1;
            double x = (w.t[i] - interceptTime) / 1e3;
            sx.add(x);
            sy.add(y);
            sxy.add(x * y);
            sx2.add(x * x);
        }
        if (constY) {
            if (Double.isInfinite(initY)) {
                w.result = Double.NaN;
                return Double.NaN;
            }
            w.result = initY;
            return 0;
        }
        double sumX = sx.value();
        double sumY = sy.value();
        double sumXY = sxy.value();
        double sumX2 = sx2.value();
        double covXY = sumXY - sumX * sumY / n;
        double varX = sumX2 - sumX * sumX / n;
        double slope = covXY / varX;
        w.result = sumY / n - slope * sumX / n;
        return slope;
    }

    /** Double exponential smoothing, as Prometheus's holt_winters. */
    static boolean holtWinters(Window w, double sf, double tf) {
        if (sf <= 0 || sf >= 1) {
            throw new PromQLException.EvalException(String.format(Locale.ROOT,
                    "invalid smoothing factor. Expected: 0 < sf < 1, got: %f", sf));
        }
        if (tf <= 0 || tf >= 1) {
            throw new PromQLException.EvalException(String.format(Locale.ROOT,
                    "invalid trend factor. Expected: 0 < tf < 1, got: %f", tf));
        }
        if (w.size() < 2) {
            return false;
        }
        double s0 = 0;
        double s1 = w.v[w.from];
        double b = w.v[w.from + 1] - w.v[w.from];
        for (int i = 1; i < w.size(); i++) {
            double x = sf * w.v[w.from + i];
            if (i - 1 != 0) {
                b = tf * (s1 - s0) + (1 - tf) * b;
            }
            double y = (1 - sf) * (s1 + b);
            s0 = s1;
            s1 = x + y;
        }
        w.result = s1;
        return true;
    }
}
