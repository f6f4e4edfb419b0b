package dev.sandglass.query.sandbox;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * How a select of microsandbox series reaches the VMM series of the /proc source that mean the
 * same, and how those are named as sandbox series: the one mapping behind every method of
 * {@link VmmInstances}' querier (raw series, rollups, label names and values). The names are the
 * stored data's contract (ingest's VmmSource), spelled here again as SandboxField spells the registry's.
 */
final class VmmMapping {
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
    static final String VMM_RUN_LABEL = "instance_id";
    static final String RUN_LABEL = "run_id";

    private VmmMapping() {
    }

    /**
     * A select of sandbox series seen on the VMM series: the matchers that select those, and for
     * each VMM metric the sandbox metrics (one or more, sorted) it is shown as.
     */
    record Select(List<Matcher> matchers, Map<String, List<String>> shownAs) {
        /** The sandbox metrics a VMM series of this select is shown as (none for another metric). */
        List<String> shownAs(Labels vmm) {
            return shownAs.getOrDefault(vmm.metricName(), List.of());
        }
    }

    /**
     * For a select with metric-name matchers: the VMM select of every mapped sandbox metric that all
     * of them accept (one name, a regex, a negation alike); null when they accept none, or when
     * there is no metric-name matcher (see {@link #allOfInstance}).
     */
    static Select select(List<Matcher> ms) {
        TreeMap<String, List<String>> shownAs = new TreeMap<>();
        boolean named = false;
        for (Matcher m : ms) {
            named |= m.name().equals(Labels.METRIC_NAME);
        }
        if (!named) {
            return null;
        }
        for (Map.Entry<String, String> e : AS_SANDBOX.entrySet()) {
            if (acceptsName(ms, e.getKey())) {
                shownAs.computeIfAbsent(e.getValue(), k -> new ArrayList<>(2)).add(e.getKey());
            }
        }
        if (shownAs.isEmpty()) {
            return null;
        }
        shownAs.values().forEach(l -> l.sort(null));
        List<Matcher> out = new ArrayList<>(ms.size() + 1);
        out.add(shownAs.size() == 1 ? Matcher.eq(Labels.METRIC_NAME, shownAs.firstKey())
                : new Matcher(Matcher.Type.RE, Labels.METRIC_NAME, String.join("|", shownAs.keySet())));
        for (Matcher m : ms) {
            if (m.name().equals(SandboxField.NAME_LABEL)) {
                out.add(new Matcher(m.type(), VMM_NAME_LABEL, m.value()));
            } else if (m.name().equals(RUN_LABEL)) {
                out.add(new Matcher(m.type(), VMM_RUN_LABEL, m.value()));
            } else if (!m.name().equals(Labels.METRIC_NAME)) {
                out.add(m);
            }
        }
        out.add(Matcher.eq("job", "vmm"));
        return new Select(out, shownAs);
    }

    private static boolean acceptsName(List<Matcher> ms, String metric) {
        for (Matcher m : ms) {
            if (m.name().equals(Labels.METRIC_NAME) && !m.matches(metric)) {
                return false;
            }
        }
        return true;
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

    /** A VMM series' labels as the sandbox series {@code sandboxMetric}: its instance name as sandbox_name, its pid as run_id of a run. */
    static Labels asSandbox(Labels vmm, String sandboxMetric) {
        Labels.Builder b = vmm.builder().del(VMM_NAME_LABEL, VMM_RUN_LABEL)
                .set(Labels.METRIC_NAME, sandboxMetric)
                .set(SandboxField.NAME_LABEL, vmm.get(VMM_NAME_LABEL));
        if (sandboxMetric.equals(SandboxField.RUN_INFO)) {
            b.set(RUN_LABEL, vmm.get(VMM_RUN_LABEL));
        }
        return b.build();
    }

    /**
     * The metric and sandbox name of each of a select's sandbox series named one of
     * {@code onlyNames} (as {@link #metricOfName} spells them). A VMM instance named like a sandbox is shown as that sandbox: the sandbox's
     * own series of a metric stand, and the VMM's of that metric are left out (two start times
     * would read as restarts at every sample, two memory figures would average, two byte counters
     * would add); the VMM's fill in the metrics the sandbox has no series of.
     */
    static <T> Set<String> metricsByName(List<T> sandboxes, Function<T, Labels> labels, Set<String> onlyNames) {
        Set<String> out = new HashSet<>();
        for (T s : sandboxes) {
            Labels l = labels.apply(s);
            if (onlyNames.contains(l.get(SandboxField.NAME_LABEL))) {
                out.add(metricOfName(l));
            }
        }
        return out;
    }

    static String metricOfName(Labels sandbox) {
        return sandbox.metricName() + '\u0000' + sandbox.get(SandboxField.NAME_LABEL);
    }
}
