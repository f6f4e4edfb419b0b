package dev.sandglass.query.sandbox;

import java.util.List;

/**
 * One sandbox's points over [startMs, endMs]: raw samples ({@code stepMs} 0) or one per step.
 * {@code intervalMs} is the collection interval seen in the data (median spacing; 0 when fewer
 * than two samples); a gap is a stretch longer than two intervals with no sample; a restart is
 * where the run changes. Both are listed so a chart can break its line there. The points are
 * held as columns ({@link HistoryPoints}), not one object each.
 */
public record SandboxHistory(String name, long startMs, long endMs, long stepMs, long intervalMs,
                             HistoryPoints points, List<Gap> gaps, List<Restart> restarts) {
    /** A history of the given points (tests, answers built by hand). */
    public SandboxHistory(String name, long startMs, long endMs, long stepMs, long intervalMs,
                          List<SandboxPoint> points, List<Gap> gaps, List<Restart> restarts) {
        this(name, startMs, endMs, stepMs, intervalMs, HistoryPoints.of(points), gaps, restarts);
    }

    /** No samples after {@code lastMs} until {@code nextMs}. */
    public record Gap(long lastMs, long nextMs) {
    }

    /** The run changed: the old run's last sample and the new run's first. */
    public record Restart(long lastMs, long firstMs, String oldRunId, String newRunId) {
    }
}
