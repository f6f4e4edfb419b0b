package dev.sandglass.query.functions;

/** The {@code *_over_time} family: aggregations of each window's samples, as Prometheus 2.42 computes them. */
final class OverTimeFunctions {
    private OverTimeFunctions() {
    }

    /** Incremental mean with compensation, including Prometheus 2.42's handling of infinities. */
    static boolean avg(Window w) {
        KahanSum mean = new KahanSum();
        double count = 0;
        for (int i = w.from; i < w.to; i++) {
            double v = w.v[i];
            count++;
            if (Double.isInfinite(mean.sum)) {
                if (Double.isInfinite(v) && (mean.sum > 0) == (v > 0)) {
                    continue;
                }
                if (!Double.isInfinite(v) && !Double.isNaN(v)) {
                    continue;
                }
            }
            mean.add(v / count - mean.sum / count);
        }
        w.result = Double.isInfinite(mean.sum) ? mean.sum : mean.value();
        return true;
    }

    static boolean sum(Window w) {
        KahanSum sum = new KahanSum();
        for (int i = w.from; i < w.to; i++) {
            sum.add(w.v[i]);
        }
        w.result = Double.isInfinite(sum.sum) ? sum.sum : sum.value();
        return true;
    }

    static boolean count(Window w) {
        w.result = w.size();
        return true;
    }

    /** NaN is replaced by any later value, so NaN wins only when every sample is NaN. */
    static boolean max(Window w) {
        double max = w.v[w.from];
        for (int i = w.from; i < w.to; i++) {
            double v = w.v[i];
            if (v > max || Double.isNaN(max)) {
                max = v;
            }
        }
        w.result = max;
        return true;
    }

    static boolean min(Window w) {
        double min = w.v[w.from];
        for (int i = w.from; i < w.to; i++) {
            double v = w.v[i];
            if (v < min || Double.isNaN(min)) {
                min = v;
            }
        }
        w.result = min;
        return true;
    }

    static boolean last(Window w) {
        w.result = w.v[w.to - 1];
        return true;
    }

    static boolean present(Window w) {
        w.result = 1;
        return true;
    }

    static boolean quantile(Window w, double q) {
        int n = w.size();
        double[] buf = w.scratch(n);
        System.arraycopy(w.v, w.from, buf, 0, n);
        w.result = Quantiles.quantile(q, buf, n);
        return true;
    }

    /** Welford's variance with compensated sums, as Prometheus's stdvar_over_time. */
    static double variance(Window w) {
        double count = 0;
        KahanSum mean = new KahanSum();
        KahanSum aux = new KahanSum();
        for (int i = w.from; i < w.to; i++) {
            double v = w.v[i];
            count++;
            double delta = v - (mean.sum + mean.c);
            mean.add(delta / count);
            aux.add(delta * (v - (mean.sum + mean.c)));
        }
        return (aux.sum + aux.c) / count;
    }

    static boolean stdvar(Window w) {
        w.result = variance(w);
        return true;
    }

    static boolean stddev(Window w) {
        w.result = Math.sqrt(variance(w));
        return true;
    }
}
