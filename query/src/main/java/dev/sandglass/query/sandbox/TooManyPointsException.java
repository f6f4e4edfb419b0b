package dev.sandglass.query.sandbox;

/** An answer would exceed the points allowed per series; carries a step that would fit (HTTP 400). */
public final class TooManyPointsException extends RuntimeException {
    private final long points;
    private final long fittingStepMs;

    public TooManyPointsException(long points, long max, long fittingStepMs) {
        super("exceeded maximum resolution of " + String.format("%,d", max) + " points per series (" + String.format("%,d", points)
                + " asked for); try step=" + (fittingStepMs % 1000 == 0 ? fittingStepMs / 1000 + "s" : fittingStepMs + "ms") + " or a shorter range");
        this.points = points;
        this.fittingStepMs = fittingStepMs;
    }

    public long points() {
        return points;
    }

    public long fittingStepMs() {
        return fittingStepMs;
    }
}
