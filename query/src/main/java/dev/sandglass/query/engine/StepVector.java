package dev.sandglass.query.engine;

import dev.sandglass.storage.api.Labels;
import java.util.Arrays;

/**
 * An instant vector at one step: parallel arrays of labels, values and the index of the input
 * series each element came from (so per-series work such as grouping keys or match signatures is
 * done once per series, not once per step). Reused across steps.
 */
public final class StepVector {
    private Labels[] labels = new Labels[8];
    private double[] values = new double[8];
    private int[] sources = new int[8];
    private int size;

    public int size() {
        return size;
    }

    public Labels labels(int i) {
        return labels[i];
    }

    public double value(int i) {
        return values[i];
    }

    /** Index of the input series this element came from, or -1 when it was made by a function. */
    public int source(int i) {
        return sources[i];
    }

    public void clear() {
        Arrays.fill(labels, 0, size, null);
        size = 0;
    }

    public void add(Labels l, double v) {
        add(l, v, -1);
    }

    public void add(Labels l, double v, int source) {
        if (size == labels.length) {
            int cap = size * 2;
            labels = Arrays.copyOf(labels, cap);
            values = Arrays.copyOf(values, cap);
            sources = Arrays.copyOf(sources, cap);
        }
        labels[size] = l;
        values[size] = v;
        sources[size] = source;
        size++;
    }

    public void setValue(int i, double v) {
        values[i] = v;
    }

    /** Reorders the elements by the given permutation of indexes (used by sort and sort_desc). */
    public void permute(Integer[] order) {
        Labels[] l = new Labels[size];
        double[] v = new double[size];
        int[] s = new int[size];
        for (int i = 0; i < size; i++) {
            l[i] = labels[order[i]];
            v[i] = values[order[i]];
            s[i] = sources[order[i]];
        }
        System.arraycopy(l, 0, labels, 0, size);
        System.arraycopy(v, 0, values, 0, size);
        System.arraycopy(s, 0, sources, 0, size);
    }
}
