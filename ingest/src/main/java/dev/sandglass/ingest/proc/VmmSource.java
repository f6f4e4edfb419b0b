package dev.sandglass.ingest.proc;

import dev.sandglass.ingest.source.Schedulers;
import dev.sandglass.ingest.source.SourceHealth;
import dev.sandglass.ingest.source.SourceHealthSet;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Storage;
import dev.sandglass.storage.api.Values;
import dev.sandglass.storage.jobs.KeptTasks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * VMM processes read from /proc every interval, as Hypeman reports them: CPU seconds, RSS and VMS,
 * the TAP's bytes, allocated vCPUs and memory when given. Series are labelled {@code job="vmm"},
 * {@code instance_name} and the host as {@code instance}; each run is recorded as
 * {@code vmm_instance_info{instance_id=PID,...} 1}. A process that exits ends its series with
 * staleness markers; a new pid under the same name is a restart (the old run's info series ends,
 * counters start again from the new process's values).
 */
public final class VmmSource implements AutoCloseable {
    /** Firecracker, Cloud Hypervisor (comm is cut to 15 characters), QEMU, krun. */
    static final Pattern DISCOVER = Pattern.compile("firecracker|cloud-hyperviso|cloud-hypervisor|qemu-system-.*|qemu-kvm|krun.*");
    private static final Pattern VM_ID = Pattern.compile("(?:--id|-name)\\s+(?:guest=)?([^\\s,]+)");
    static final String[] METRICS = {"vmm_cpu_seconds_total", "vmm_memory_rss_bytes", "vmm_memory_vms_bytes",
        "vmm_network_receive_bytes_total", "vmm_network_transmit_bytes_total", "vmm_allocated_vcpus", "vmm_allocated_memory_bytes",
        "vmm_memory_utilization_ratio", "vmm_start_time_seconds", "vmm_uptime_seconds"};
    public static final String INFO = "vmm_instance_info";

    private record Found(ProcFs.Stat stat, VmmSpec spec) {
    }

    /** One named instance and its current run. */
    private static final class Run {
        int pid;
        long startTicks;
        final long[] refs = new long[METRICS.length];
        final boolean[] written = new boolean[METRICS.length];
        long infoRef = -1;
        long lastT;

        Run() {
            java.util.Arrays.fill(refs, -1);
        }
    }

    private final List<VmmSpec> specs;
    private final List<SourceHealth> specHealth = new ArrayList<>();
    private final SourceHealth discoverHealth;
    private final ProcFs fs;
    private final Appender appender;
    private final long intervalMs;
    private final String host;
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private ScheduledExecutorService scheduler;

    public VmmSource(List<VmmSpec> specs, boolean discover, ProcFs fs, Storage storage, long intervalMs, String host, SourceHealthSet health) {
        this.specs = List.copyOf(specs);
        for (VmmSpec s : specs) {
            specHealth.add(health.register("vmm", s.text()));
        }
        this.discoverHealth = discover ? health.register("vmm", "discover") : null;
        this.fs = fs;
        this.appender = storage.appender();
        this.intervalMs = intervalMs;
        this.host = host;
    }

    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Schedulers.daemon("sandglass-vmm", 1);
        KeptTasks.atFixedRate(scheduler, GUARD, this::collectOnce, 0, intervalMs);
    }

    /** Keeps an Error (out of heap) from cancelling the schedule: sandglass_loop_*{loop="vmm"}. */
    public static final dev.sandglass.storage.jobs.LoopGuard GUARD = dev.sandglass.storage.jobs.LoopGuard.named("vmm");

    /** One collection, committed; an Error drops its batch and goes on to the guard. */
    public synchronized void collectOnce() {
        try {
            collect();
        } catch (Error e) {
            appender.rollback();
            try {
                for (SourceHealth h : specHealth) {
                    h.failed(e instanceof OutOfMemoryError ? "out_of_memory" : "error", "collecting failed: " + e);
                }
            } catch (Throwable ignored) {
                // the heap is still full: the guard counts it
            }
            throw e;
        }
    }

    /** One collection: find the processes, append their values, stale-mark the gone, commit. */
    private void collect() {
        long now = System.currentTimeMillis();
        try {
            Map<String, Found> found = find();
            for (var e : found.entrySet()) {
                collect(e.getKey(), e.getValue(), now);
            }
            for (Iterator<Map.Entry<String, Run>> it = runs.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!found.containsKey(e.getKey())) {
                    staleAll(e.getValue(), now);
                    it.remove();
                }
            }
            for (SourceHealth h : specHealth) {
                h.appendTo(appender, now);
            }
            if (discoverHealth != null) {
                discoverHealth.succeeded(now);
                discoverHealth.appendTo(appender, now);
            }
            appender.commit();
        } catch (RuntimeException e) {
            appender.rollback();
            for (SourceHealth h : specHealth) {
                h.failed("read", e.getMessage());
            }
            if (discoverHealth != null) {
                discoverHealth.failed("read", e.getMessage());
            }
        }
        try {
            appender.prepareNext(); // outside the collection: file the batch, pre-fault the log
        } catch (RuntimeException ignored) {
            // the batch is durable either way; a querier files it itself
        }
    }

    private Map<String, Found> find() {
        boolean scan = discoverHealth != null || specs.stream().anyMatch(s -> s.pid() == null);
        List<ProcFs.Stat> all = new ArrayList<>();
        if (scan) {
            for (int pid : fs.pids()) {
                ProcFs.Stat st = fs.stat(pid);
                if (st != null) {
                    all.add(st);
                }
            }
        }
        Map<String, Found> found = new LinkedHashMap<>();
        Map<Integer, Boolean> claimed = new HashMap<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < specs.size(); i++) {
            VmmSpec spec = specs.get(i);
            List<ProcFs.Stat> matches = new ArrayList<>();
            if (spec.pid() != null) {
                ProcFs.Stat st = fs.stat(spec.pid());
                if (st != null) {
                    matches.add(st);
                }
            } else {
                for (ProcFs.Stat st : all) {
                    if (spec.matches(st, fs)) {
                        matches.add(st);
                    }
                }
            }
            SourceHealth h = specHealth.get(i);
            if (matches.isEmpty()) {
                h.failed("no_process", "no process matches " + spec.text() + (spec.pid() != null ? " (it exited)"
                        : "; start the VMM or fix the selector (comm is at most 15 characters)") + "; looking again every " + intervalMs + " ms");
                continue;
            }
            if (spec.name() != null) {
                ProcFs.Stat newest = matches.stream().max(java.util.Comparator.comparingLong(ProcFs.Stat::startTicks)).orElseThrow();
                matches = List.of(newest);
            }
            boolean tapOk = true;
            for (ProcFs.Stat st : matches) {
                claimed.put(st.pid(), true);
                found.put(spec.name() != null ? spec.name() : st.comm() + "-" + st.pid(), new Found(st, spec));
                if (spec.tap() != null && fs.netDev(st.pid(), spec.tap()) == null) {
                    tapOk = false;
                }
            }
            if (tapOk) {
                h.succeeded(now);
            } else {
                h.failed("tap", "network device " + spec.tap() + " not found in the namespace of the process nor in /sys/class/net;"
                        + " check tap= (other values are still collected)");
            }
        }
        if (discoverHealth != null) {
            for (ProcFs.Stat st : all) {
                if (!claimed.containsKey(st.pid()) && DISCOVER.matcher(st.comm()).matches()) {
                    found.putIfAbsent(discoveredName(st), new Found(st, null));
                }
            }
        }
        return found;
    }

    private String discoveredName(ProcFs.Stat st) {
        String cl = fs.cmdline(st.pid());
        if (cl != null) {
            Matcher m = VM_ID.matcher(cl);
            if (m.find()) {
                return m.group(1);
            }
        }
        return st.comm() + "-" + st.pid();
    }

    private void collect(String name, Found f, long now) {
        ProcFs.Stat st = f.stat();
        long[] statm = fs.statm(st.pid());
        if (statm == null) {
            return; // exited between the scan and now: the next collection ends its series
        }
        Run run = runs.get(name);
        if (run != null && (run.pid != st.pid() || run.startTicks != st.startTicks())) {
            if (run.infoRef >= 0) {
                appender.append(run.infoRef, Math.max(now, run.lastT + 1), Values.STALE_NAN); // a restart: the old run ends
            }
            run.infoRef = -1;
        }
        if (run == null) {
            run = new Run();
            runs.put(name, run);
        }
        run.pid = st.pid();
        run.startTicks = st.startTicks();
        VmmSpec spec = f.spec();
        ProcFs.NetDev net = spec != null && spec.tap() != null ? fs.netDev(st.pid(), spec.tap()) : null;
        Long mem = spec == null ? null : spec.memoryBytes();
        Double[] v = {fs.cpuSeconds(st), (double) statm[1], (double) statm[0],
            // The VM's view: what the host sends into the TAP the VM receives, and the reverse.
            net == null ? null : (double) net.txBytes(), net == null ? null : (double) net.rxBytes(),
            spec == null || spec.vcpus() == null ? null : (double) spec.vcpus(), mem == null ? null : (double) mem,
            mem == null ? null : statm[1] / (double) mem, fs.startTimeSeconds(st), Math.max(0, now / 1000.0 - fs.startTimeSeconds(st))};
        for (int k = 0; k < METRICS.length; k++) {
            if (v[k] == null) {
                continue;
            }
            if (run.refs[k] < 0) {
                run.refs[k] = appender.seriesRef(base(name).set(Labels.METRIC_NAME, METRICS[k]).build());
            }
            appender.append(run.refs[k], now, v[k]);
            run.written[k] = true;
        }
        if (run.infoRef < 0) {
            run.infoRef = appender.seriesRef(base(name).set(Labels.METRIC_NAME, INFO).set("instance_id", Integer.toString(st.pid()))
                    .set("pid", Integer.toString(st.pid())).set("comm", st.comm()).build());
        }
        appender.append(run.infoRef, now, 1);
        run.lastT = now;
    }

    private Labels.Builder base(String name) {
        return Labels.EMPTY.builder().set("job", "vmm").set("instance", host).set("instance_name", name);
    }

    private void staleAll(Run run, long now) {
        long t = Math.max(now, run.lastT + 1);
        for (int k = 0; k < METRICS.length; k++) {
            if (run.written[k]) {
                appender.append(run.refs[k], t, Values.STALE_NAN);
            }
        }
        if (run.infoRef >= 0) {
            appender.append(run.infoRef, t, Values.STALE_NAN);
        }
    }

    /** Stops collecting; the instances' series are left as they are (they go on after a restart of Sandglass). */
    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scheduler;
            scheduler = null;
        }
        Schedulers.stop(s);
    }
}
