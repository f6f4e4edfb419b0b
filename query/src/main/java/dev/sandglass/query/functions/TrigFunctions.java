package dev.sandglass.query.functions;

/** Inverse hyperbolic functions, which java.lang.Math lacks; same special values as Go's math package. */
final class TrigFunctions {
    private TrigFunctions() {
    }

    static double asinh(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x) || x == 0) {
            return x;
        }
        double a = Math.abs(x);
        double r = a > 1e8 ? Math.log(a) + Math.log(2) : Math.log(a + Math.sqrt(a * a + 1));
        if (a < 0.5) {
            r = Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
        }
        return x < 0 ? -r : r;
    }

    static double acosh(double x) {
        if (x < 1 || Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x == 1) {
            return 0;
        }
        if (x > 1e8) {
            return Math.log(x) + Math.log(2);
        }
        return Math.log(x + Math.sqrt(x * x - 1));
    }

    static double atanh(double x) {
        if (x < -1 || x > 1 || Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x == 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (x == -1) {
            return Double.NEGATIVE_INFINITY;
        }
        if (x == 0) {
            return x;
        }
        return 0.5 * Math.log1p(2 * x / (1 - x));
    }

    /** Exact for powers of two, as Go's math.Log2 is. */
    static double log2(double x) {
        if (x > 0 && x < Double.POSITIVE_INFINITY && x >= Double.MIN_NORMAL
                && (Double.doubleToRawLongBits(x) & 0x000fffffffffffffL) == 0) {
            return Math.getExponent(x);
        }
        return Math.log(x) / Math.log(2);
    }
}
