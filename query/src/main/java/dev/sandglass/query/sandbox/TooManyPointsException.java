package dev.sandglass.query.sandbox;

/** An answer would exceed the points allowed per series; carries a step that would fit (HTTP 400). */
public final class TooManyPointsException extends RuntimeException {
    private final long points;
    private final long fittingStepMs;

    public TooManyPointsException(long points, long max, long fittingStepMs) {
        this("exceeded maximum resolution of " + String.format("%,d", max) + " points per series (" + String.format("%,d", points)
                + " asked for); try step=" + step(fittingStepMs) + " or a shorter range", points, fittingStepMs);
    }

    private TooManyPointsException(String message, long points, long fittingStepMs) {
        super(message);
        this.points = points;
        this.fittingStepMs = fittingStepMs;
    }

    /** A raw answer (no step) would hold more than {@code maxRaw} samples: a step that fits the stepped limit is suggested. */
    public static TooManyPointsException raw(long points, long maxRaw, long fittingStepMs) {
        return new TooManyPointsException("exceeded maximum of " + String.format("%,d", maxRaw) + " raw samples per answer ("
                + String.format("%,d", points) + " in range); try step=" + step(fittingStepMs) + " or a shorter range", points, fittingStepMs);
    }

    private static String step(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    public long points() {
        return points;
    }

    public long fittingStepMs() {
        return fittingStepMs;
    }
}
