package dev.sandglass.query.sandbox;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * VMM instances seen through the sandbox views: a {@link Queryable} over the same store that
 * answers a select of a microsandbox series (by exact name) with the matching VMM series of the
 * /proc source as well, renamed to the sandbox name and its instance_name given as sandbox_name.
 * Nothing is copied or stored twice; PromQL sees the store as it is. The names are the stored
 * data's contract (ingest's VmmSource), spelled here again as SandboxField spells the registry's.
 * A VMM instance that has the same name as a sandbox is shown as that sandbox.
 */
public final class VmmInstances implements Queryable {
    /** Sandbox series name to the VMM series that means the same. */
    static final Map<String, String> AS_SANDBOX = Map.of(
            "microsandbox_uptime_seconds", "vmm_uptime_seconds",
            "microsandbox_memory_usage_bytes", "vmm_memory_rss_bytes",
            "microsandbox_memory_host_resident_bytes", "vmm_memory_rss_bytes",
            "microsandbox_memory_limit_bytes", "vmm_allocated_memory_bytes",
            "microsandbox_network_bytes_received", "vmm_network_receive_bytes_total",
            "microsandbox_network_bytes_sent", "vmm_network_transmit_bytes_total",
            "microsandbox_vcpu_time_seconds", "vmm_cpu_seconds_total",
            "microsandbox_sandbox_start_time_seconds", "vmm_start_time_seconds",
            SandboxField.RUN_INFO, "vmm_instance_info");
    static final String VMM_NAME_LABEL = "instance_name";

    private final Queryable store;

    private VmmInstances(Queryable store) {
        this.store = store;
    }

    /** The store with its VMM instances visible to the sandbox views. */
    public static Queryable over(Queryable store) {
        return store instanceof VmmInstances ? store : new VmmInstances(store);
    }

    @Override
    public Querier querier(long minT, long maxT) {
        return new WithVmms(store.querier(minT, maxT));
    }

    /** The VMM matchers for a sandbox select, or null when the select is not of a mapped series. */
    static List<Matcher> vmmMatchers(List<Matcher> ms) {
        String sandboxMetric = null;
        for (Matcher m : ms) {
            if (m.name().equals(Labels.METRIC_NAME) && m.type() == Matcher.Type.EQ) {
                sandboxMetric = m.value();
            }
        }
        String vmm = sandboxMetric == null ? null : AS_SANDBOX.get(sandboxMetric);
        if (vmm == null) {
            return null;
        }
        List<Matcher> out = new ArrayList<>(ms.size() + 1);
        for (Matcher m : ms) {
            if (m.name().equals(Labels.METRIC_NAME)) {
                out.add(Matcher.eq(Labels.METRIC_NAME, vmm));
            } else if (m.name().equals(SandboxField.NAME_LABEL)) {
                out.add(new Matcher(m.type(), VMM_NAME_LABEL, m.value()));
            } else if (m.name().equals("run_id")) {
                out.add(new Matcher(m.type(), "instance_id", m.value()));
            } else {
                out.add(m);
            }
        }
        out.add(Matcher.eq("job", "vmm"));
        return out;
    }

    /** For a select by sandbox name alone (no metric name): the instance's series, or null. */
    static List<Matcher> allOfInstance(List<Matcher> ms) {
        boolean named = false;
        List<Matcher> out = new ArrayList<>(ms.size() + 1);
        for (Matcher m : ms) {
            if (m.name().equals(Labels.METRIC_NAME)) {
                return null;
            }
            if (m.name().equals(SandboxField.NAME_LABEL)) {
                named = true;
                out.add(new Matcher(m.type(), VMM_NAME_LABEL, m.value()));
            } else {
                out.add(m);
            }
        }
        out.add(Matcher.eq("job", "vmm"));
        return named ? out : null;
    }

    static Labels asSandbox(Labels vmm, String sandboxMetric) {
        Labels.Builder b = vmm.builder().del(VMM_NAME_LABEL, "instance_id")
                .set(Labels.METRIC_NAME, sandboxMetric)
                .set(SandboxField.NAME_LABEL, vmm.get(VMM_NAME_LABEL));
        if (sandboxMetric.equals(SandboxField.RUN_INFO)) {
            b.set("run_id", vmm.get("instance_id"));
        }
        return b.build();
    }

    private static final class WithVmms implements Querier {
        private final Querier inner;

        WithVmms(Querier inner) {
            this.inner = inner;
        }

        @Override
        public List<Series> select(List<Matcher> matchers) {
            return merge(matchers, inner.select(matchers), false);
        }

        @Override
        public List<Series> selectLazily(List<Matcher> matchers) {
            return merge(matchers, inner.selectLazily(matchers), true);
        }

        /** The store reads its own series in one go and the renamed VMM series one by one. */
        @Override
        public void lastOfEach(List<Series> series, Samples[] out) {
            inner.lastOfEach(series, out);
        }

        @Override
        public long changes() {
            return inner.changes();
        }

        @Override
        public long newestTimestamp() {
            return inner.newestTimestamp();
        }

        private List<Series> merge(List<Matcher> matchers, List<Series> sandboxes, boolean lazily) {
            List<Matcher> vm = vmmMatchers(matchers);
            if (vm == null) {
                List<Matcher> byName = allOfInstance(matchers);
                if (byName == null) {
                    return sandboxes;
                }
                // Every series of one instance (one sandbox's Prometheus text): under their own names.
                List<Series> out = new ArrayList<>(sandboxes);
                out.addAll(lazily ? inner.selectLazily(byName) : inner.select(byName));
                out.sort(Comparator.comparing(Series::labels));
                return out;
            }
            String metric = matchers.stream().filter(m -> m.name().equals(Labels.METRIC_NAME)).findFirst().orElseThrow().value();
            List<Series> vmms = lazily ? inner.selectLazily(vm) : inner.select(vm);
            if (vmms.isEmpty()) {
                return sandboxes;
            }
            List<Series> out = new ArrayList<>(sandboxes);
            for (Series s : vmms) {
                Labels l = asSandbox(s.labels(), metric);
                out.add(new Series() {
                    @Override
                    public Labels labels() {
                        return l;
                    }

                    @Override
                    public Samples samples() {
                        return s.samples();
                    }

                    @Override
                    public Samples samples(Samples reuse) {
                        return s.samples(reuse);
                    }
                });
            }
            out.sort(Comparator.comparing(Series::labels));
            return out;
        }

        @Override
        public List<String> labelNames(List<Matcher> matchers) {
            return inner.labelNames(matchers);
        }

        @Override
        public List<String> labelValues(String name, List<Matcher> matchers) {
            List<Matcher> vm = vmmMatchers(matchers);
            if (vm == null || !name.equals(SandboxField.NAME_LABEL)) {
                return inner.labelValues(name, matchers);
            }
            TreeSet<String> all = new TreeSet<>(inner.labelValues(name, matchers));
            all.addAll(inner.labelValues(VMM_NAME_LABEL, vm));
            return new ArrayList<>(all);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
