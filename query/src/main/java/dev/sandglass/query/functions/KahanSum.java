package dev.sandglass.query.functions;

/**
 * Neumaier-compensated summation as Prometheus 2.42 does it (kahanSumInc), so sums, averages and
 * regressions round the same way: results must match Prometheus to 1e-6 relative.
 */
final class KahanSum {
    double sum;
    double c;

    void reset() {
        sum = 0;
        c = 0;
    }

    void add(double inc) {
        double t = sum + inc;
        if (Math.abs(sum) >= Math.abs(inc)) {
            c += (sum - t) + inc;
        } else {
            c += (inc - t) + sum;
        }
        sum = t;
    }

    double value() {
        return sum + c;
    }
}
