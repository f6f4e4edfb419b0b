package dev.sandglass.query.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The value of an instant-vector or scalar expression over all steps of an evaluation. A scalar is
 * one series with empty labels and a value at every step. The list order is the order Prometheus
 * would return for an instant query.
 */
public final class StepMatrix {
    final List<StepSeries> series;
    final int steps;

    StepMatrix(List<StepSeries> series, int steps) {
        this.series = series;
        this.steps = steps;
    }

    static StepMatrix empty(int steps) {
        return new StepMatrix(new ArrayList<>(0), steps);
    }

    long totalPoints() {
        long n = 0;
        for (StepSeries s : series) {
            n += s.count();
        }
        return n;
    }
}
