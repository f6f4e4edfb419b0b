package dev.sandglass.query.engine;

/** Go's math.Mod and math.Pow where they differ from Java's operators and Math.pow. */
final class GoMath {
    private GoMath() {
    }

    /** math.Mod: result has the sign of x; Java's % on doubles is the same IEEE fmod. */
    static double mod(double x, double y) {
        return x % y;
    }

    /** math.Pow: Go gives 1 for Pow(1, y) with any y (NaN included) and for Pow(-1, ±Inf); Java gives NaN. */
    static double pow(double x, double y) {
        if (x == 1) {
            return 1;
        }
        if (x == -1 && Double.isInfinite(y)) {
            return 1;
        }
        return Math.pow(x, y);
    }
}
