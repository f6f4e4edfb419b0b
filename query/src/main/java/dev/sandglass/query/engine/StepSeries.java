package dev.sandglass.query.engine;

import dev.sandglass.storage.api.Labels;

/**
 * One series of an evaluated instant-vector (or scalar) expression: a value per evaluation step,
 * held in primitive arrays indexed by step, with a presence flag because a series may have no
 * value at some steps (and NaN is a legitimate value).
 */
public final class StepSeries {
    private final Labels labels;
    private final double[] values;
    private final boolean[] present;
    private int count;

    public StepSeries(Labels labels, int steps) {
        this.labels = labels;
        this.values = new double[steps];
        this.present = new boolean[steps];
    }

    public Labels labels() {
        return labels;
    }

    public boolean has(int step) {
        return present[step];
    }

    public double value(int step) {
        return values[step];
    }

    /** Number of steps with a value. */
    public int count() {
        return count;
    }

    public int steps() {
        return values.length;
    }

    /** Sets the value at a step; returns false when the step already had one. */
    public boolean set(int step, double v) {
        values[step] = v;
        if (present[step]) {
            return false;
        }
        present[step] = true;
        count++;
        return true;
    }

    /** The values by step when every step has one (the array itself: do not modify), else null. */
    double[] denseValues() {
        return count == values.length ? values : null;
    }

    /** The points as a raw series, step i at {@code start + i * interval}. */
    RawSeries toRaw(long start, long interval) {
        long[] ts = new long[count];
        double[] vs = new double[count];
        int k = 0;
        for (int i = 0; i < values.length; i++) {
            if (present[i]) {
                ts[k] = start + i * interval;
                vs[k] = values[i];
                k++;
            }
        }
        return new RawSeries(labels, ts, vs, k);
    }
}
