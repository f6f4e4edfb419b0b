package dev.sandglass.ingest.collect;

import dev.sandglass.ingest.registry.Layout;
import dev.sandglass.ingest.registry.SlotSnapshot;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Values;
import java.util.List;

/**
 * Turns registry snapshots into samples: each sample is ingested once (per slot, the generation
 * and sampled_at last ingested are kept), and when a sandbox leaves (slot stale, freed, or reused)
 * or a run ends (restart), its series get Prometheus's staleness marker so instant queries stop
 * returning them. Series refs are resolved once per run, not per collection.
 */
public final class Collector {
    private static final SeriesNames[] SERIES = SeriesNames.values();

    /** What we know of the occupant of one slot. */
    private static final class Occupant {
        long generation;
        int sandboxId;
        String name;
        int runId;
        int pid;
        long lastSampledAt;
        boolean stale;
        long[] refs = new long[SERIES.length];
        long runInfoRef;
        boolean[] written = new boolean[SERIES.length];
    }

    private final String instance;
    private final boolean runLabels;
    private Occupant[] occupants = new Occupant[0];
    private boolean[] seen = new boolean[0];
    private int sandboxes;

    /** {@code runLabels}: also label every series with run_id and pid (msb-metrics' opt-in). */
    public Collector(String instance, boolean runLabels) {
        this.instance = instance;
        this.runLabels = runLabels;
    }

    /** Appends what is new in {@code slots} to {@code app} (not committed); returns samples added. */
    public int collect(List<SlotSnapshot> slots, Appender app, long nowMs) {
        int added = 0;
        int max = 0;
        for (SlotSnapshot s : slots) {
            max = Math.max(max, s.slot + 1);
        }
        if (max > occupants.length) {
            occupants = java.util.Arrays.copyOf(occupants, max);
        }
        if (seen.length < occupants.length) {
            seen = new boolean[occupants.length];
        }
        java.util.Arrays.fill(seen, false);
        int active = 0;
        for (SlotSnapshot s : slots) {
            seen[s.slot] = true;
            Occupant o = occupants[s.slot];
            if (o != null && o.generation != s.generation) {
                boolean sameSandbox = o.sandboxId == s.sandboxId && o.name.equals(s.name());
                if (sameSandbox && !runLabels) {
                    // A restart: the run's info series ends; the metric series go on (counters reset).
                    if (!o.stale) {
                        added += staleRunInfo(o, app, nowMs);
                    }
                    o.generation = s.generation;
                    o.runId = s.runId;
                    o.pid = s.pid;
                    o.runInfoRef = -1;
                    o.stale = false;
                } else {
                    if (!o.stale) {
                        added += staleAll(o, app, nowMs);
                    }
                    occupants[s.slot] = o = null;
                }
            }
            if (o == null) {
                o = newOccupant(s);
                occupants[s.slot] = o;
            }
            if (s.sampledAt > o.lastSampledAt) {
                added += ingest(o, s, app);
                o.lastSampledAt = s.sampledAt;
            }
            if (s.state == Layout.SLOT_STALE) {
                if (!o.stale) {
                    added += staleAll(o, app, Math.max(nowMs, o.lastSampledAt + 1));
                    o.stale = true;
                }
            } else {
                active++;
            }
        }
        for (int i = 0; i < occupants.length; i++) {
            if (occupants[i] != null && !seen[i]) {
                // Freed or reserved again: the sandbox left the registry.
                if (!occupants[i].stale) {
                    added += staleAll(occupants[i], app, Math.max(nowMs, occupants[i].lastSampledAt + 1));
                }
                occupants[i] = null;
            }
        }
        sandboxes = active;
        return added;
    }

    /** Sandboxes active in the last collection. */
    public int sandboxes() {
        return sandboxes;
    }

    private Occupant newOccupant(SlotSnapshot s) {
        Occupant o = new Occupant();
        o.generation = s.generation;
        o.sandboxId = s.sandboxId;
        o.name = s.name();
        o.runId = s.runId;
        o.pid = s.pid;
        java.util.Arrays.fill(o.refs, -1);
        o.runInfoRef = -1;
        return o;
    }

    private Labels.Builder base(Occupant o) {
        Labels.Builder b = Labels.EMPTY.builder()
                .set("sandbox_name", o.name)
                .set("sandbox_id", Integer.toString(o.sandboxId))
                .set("job", "microsandbox")
                .set("instance", instance);
        if (runLabels) {
            b.set("run_id", Integer.toString(o.runId)).set("pid", Integer.toString(o.pid));
        }
        return b;
    }

    private int ingest(Occupant o, SlotSnapshot s, Appender app) {
        int n = 0;
        for (int k = 0; k < SERIES.length; k++) {
            SeriesNames sn = SERIES[k];
            if (!sn.present(s)) {
                continue;
            }
            if (o.refs[k] < 0) {
                o.refs[k] = app.seriesRef(base(o).set(Labels.METRIC_NAME, sn.metric()).build());
            }
            app.append(o.refs[k], s.sampledAt, sn.value(s));
            o.written[k] = true;
            n++;
        }
        if (o.runInfoRef < 0) {
            o.runInfoRef = app.seriesRef(base(o).set(Labels.METRIC_NAME, SeriesNames.RUN_INFO)
                    .set("run_id", Integer.toString(o.runId)).set("pid", Integer.toString(o.pid)).build());
        }
        app.append(o.runInfoRef, s.sampledAt, 1);
        return n + 1;
    }

    private int staleRunInfo(Occupant o, Appender app, long t) {
        if (o.runInfoRef < 0) {
            return 0;
        }
        app.append(o.runInfoRef, Math.max(t, o.lastSampledAt + 1), Values.STALE_NAN);
        return 1;
    }

    private int staleAll(Occupant o, Appender app, long t) {
        long at = Math.max(t, o.lastSampledAt + 1);
        int n = 0;
        for (int k = 0; k < SERIES.length; k++) {
            if (o.written[k]) {
                app.append(o.refs[k], at, Values.STALE_NAN);
                n++;
            }
        }
        return n + staleRunInfo(o, app, at);
    }
}
