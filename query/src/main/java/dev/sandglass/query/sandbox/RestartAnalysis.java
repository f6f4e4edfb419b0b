package dev.sandglass.query.sandbox;

import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Restarts and stops from history alone: the collector records every run as a run info series
 * (run_id, pid) with a sample at each of the run's samples and a staleness marker when the run
 * ends. Consecutive runs of a sandbox make a restart; a last run that ended (marker, or not seen
 * for {@link SandboxViews#STOPPED_AFTER_MS}) makes a stop. Works after the sandbox is gone, for
 * as long as retention keeps its data, and offline on a data dir.
 */
public final class RestartAnalysis {
    /**
     * How far before {@code since} runs are read at first; a run starting in range with none
     * before it in that reach is looked for further back (see {@link #runBefore}).
     */
    static final long LOOK_BEFORE_MS = 3_600_000L;

    private final Queryable store;

    public RestartAnalysis(Queryable store) {
        this.store = store;
    }

    /** A run as its info series shows it. */
    private record Run(String runId, String sandboxId, long firstMs, long lastMs, boolean ended) {
    }

    /**
     * Restarts and stops of {@code sandbox} (every sandbox when null) that happened in [sinceMs,
     * untilMs], by time. @throws UnknownSandboxException when {@code sandbox} was never stored
     */
    public List<RunEnd> between(long sinceMs, long untilMs, String sandbox, long nowMs) {
        Map<String, List<Run>> runs = new TreeMap<>();
        try (Querier q = store.querier(sinceMs - LOOK_BEFORE_MS, untilMs)) {
            for (Series s : q.select(SandboxViews.matchers(SandboxField.RUN_INFO, sandbox == null ? null : Set.of(sandbox)))) {
                String name = s.labels().get(SandboxField.NAME_LABEL);
                for (Run r : runs(s, name)) {
                    runs.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
                }
            }
        }
        List<RunEnd> out = new ArrayList<>();
        for (Map.Entry<String, List<Run>> e : runs.entrySet()) {
            List<Run> rs = e.getValue();
            rs.sort(Comparator.comparingLong(Run::firstMs));
            if (rs.get(0).firstMs >= sinceMs && rs.get(0).firstMs <= untilMs) {
                // The earliest run in reach starts in range: it is a restart if an older run ended
                // before our look-back (a gap longer than LOOK_BEFORE_MS), so look further back.
                Run before = runBefore(e.getKey(), rs.get(0).firstMs);
                if (before != null) {
                    rs.add(0, before);
                }
            }
            for (int i = 0; i < rs.size(); i++) {
                Run old = rs.get(i);
                Run next = i + 1 < rs.size() ? rs.get(i + 1) : null;
                long when;
                if (next != null) {
                    when = next.firstMs;
                } else if (old.ended || old.lastMs < nowMs - SandboxViews.STOPPED_AFTER_MS) {
                    when = old.lastMs;
                } else {
                    continue; // still running
                }
                if (when < sinceMs || when > untilMs) {
                    continue;
                }
                out.add(end(e.getKey(), old, next));
            }
        }
        out.sort(Comparator.comparingLong(RunEnd::timeMs).thenComparing(RunEnd::sandbox));
        if (sandbox != null && out.isEmpty()) {
            // None is the answer for a sandbox that was seen; one never stored is an error naming it.
            new SandboxViews(store).sandbox(sandbox, nowMs);
        }
        return out;
    }

    /**
     * The sandbox's last run that ended before {@code t}, however long before, or null. Reads only
     * the sandbox's run info series and only the blocks that hold them: a sandbox first seen in
     * range has no older series and costs its own recent blocks.
     */
    private Run runBefore(String sandbox, long t) {
        Run last = null;
        try (Querier q = store.querier(Long.MIN_VALUE / 4, t - 1)) {
            for (Series s : q.select(SandboxViews.matchers(SandboxField.RUN_INFO, Set.of(sandbox)))) {
                for (Run r : runs(s, sandbox)) {
                    if (last == null || r.lastMs > last.lastMs) {
                        last = r;
                    }
                }
            }
        }
        return last;
    }

    /**
     * The runs one info series shows. Usually one; but run ids are not unique across sessions of a
     * registry writer (the demo counts from 1 again after a restart on the same data dir, with the
     * same pids), so a series that falls silent (or ends with a staleness marker) and resumes is
     * split there when the sandbox's uptime went back: a new run that happens to reuse the labels.
     * Without uptimes, a resumption after a staleness marker is taken as a new run.
     */
    private List<Run> runs(Series s, String sandbox) {
        Samples x = s.samples();
        List<Run> out = new ArrayList<>(1);
        String runId = s.labels().get("run_id");
        String sandboxId = s.labels().get("sandbox_id");
        long first = Long.MIN_VALUE;
        long last = Long.MIN_VALUE;
        long spacing = Long.MAX_VALUE;
        boolean staleSince = false;
        for (int i = 0; i < x.size(); i++) {
            if (Values.isStaleNaN(x.value(i))) {
                staleSince = first != Long.MIN_VALUE;
                continue;
            }
            long t = x.timestamp(i);
            if (first != Long.MIN_VALUE && (staleSince || spacing != Long.MAX_VALUE && t - last > 2 * spacing) && newRun(sandbox, last, t, staleSince)) {
                out.add(new Run(runId, sandboxId, first, last, true));
                first = Long.MIN_VALUE;
            }
            if (first == Long.MIN_VALUE) {
                first = t;
                spacing = Long.MAX_VALUE;
            } else if (!staleSince) {
                spacing = t - last;
            }
            last = t;
            staleSince = false;
        }
        if (first != Long.MIN_VALUE) {
            out.add(new Run(runId, sandboxId, first, last, Values.isStaleNaN(x.value(x.size() - 1))));
        }
        return out;
    }

    /** Whether the sample at {@code t} belongs to a new run after one whose last sample was at {@code lastMs}: uptime went back. */
    private boolean newRun(String sandbox, long lastMs, long t, boolean afterMarker) {
        try (Querier q = store.querier(lastMs, t)) {
            Samples up = merged(q, SandboxField.UPTIME_SECONDS, Set.of(sandbox));
            double before = SandboxViews.valueAt(up, lastMs);
            double after = SandboxViews.valueAt(up, t);
            if (Double.isNaN(before) || Double.isNaN(after)) {
                return afterMarker;
            }
            return after < before;
        }
    }

    /** The old run's final-minute figures: uptime, last and peak memory, its limit, last CPU. */
    private RunEnd end(String sandbox, Run old, Run next) {
        double uptime = Double.NaN;
        double memLast = Double.NaN;
        double memPeak = Double.NaN;
        double limit = Double.NaN;
        double cpu = Double.NaN;
        try (Querier q = store.querier(old.lastMs - RunEnd.FINAL_WINDOW_MS, old.lastMs)) {
            Set<String> only = Set.of(sandbox);
            uptime = SandboxViews.valueAt(merged(q, SandboxField.UPTIME_SECONDS, only), old.lastMs);
            Samples mem = merged(q, SandboxField.MEMORY_BYTES, only);
            memLast = SandboxViews.valueAt(mem, old.lastMs);
            for (int i = 0; i < mem.size(); i++) {
                if (!Values.isStaleNaN(mem.value(i)) && !(mem.value(i) <= memPeak)) {
                    memPeak = mem.value(i);
                }
            }
            limit = SandboxViews.valueAt(merged(q, SandboxField.MEMORY_LIMIT_BYTES, only), old.lastMs);
            cpu = SandboxField.CPU_PERCENT.fromStored(SandboxViews.valueAt(merged(q, SandboxField.CPU_PERCENT, only), old.lastMs));
        }
        return new RunEnd(next == null ? RunEnd.Kind.STOP : RunEnd.Kind.RESTART, sandbox, old.sandboxId, old.runId,
                next == null ? null : next.runId, old.lastMs, next == null ? null : next.firstMs, uptime, memLast, memPeak, limit, cpu);
    }

    /** The field's samples in the querier's range over all its series for the sandbox (runs may be labelled apart). */
    private static Samples merged(Querier q, SandboxField f, Set<String> only) {
        Timeline t = Timeline.of(q.select(SandboxViews.matchers(f.metric(), only)));
        return new Samples(t.ts, t.vs, t.size);
    }
}
