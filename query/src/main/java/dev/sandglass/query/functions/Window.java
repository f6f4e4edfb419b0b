package dev.sandglass.query.functions;

/**
 * The samples of one series inside one range-selector window, as a view over shared arrays:
 * indexes {@code [from, to)} of {@code t} and {@code v}, never copied. The evaluator slides the
 * indexes from step to step; functions read them and write {@link #result}.
 */
public final class Window {
    public long[] t;
    public double[] v;
    public int from;
    public int to;
    /** Evaluation time of the step (predict_linear extrapolates from it). */
    public long evalTimeMs;
    /** {@code evalTime - offset - range} and {@code evalTime - offset}: the window's closed bounds. */
    public long rangeStartMs;
    public long rangeEndMs;
    public long rangeMs;
    /** Values, at this step, of the call's scalar arguments, by argument position. */
    public double[] scalarArgs;
    public double result;
    private double[] scratch = new double[64];

    public int size() {
        return to - from;
    }

    /** A reusable buffer of at least {@code n} doubles (quantile sorts into it). */
    public double[] scratch(int n) {
        if (scratch.length < n) {
            scratch = new double[Math.max(n, scratch.length * 2)];
        }
        return scratch;
    }
}
