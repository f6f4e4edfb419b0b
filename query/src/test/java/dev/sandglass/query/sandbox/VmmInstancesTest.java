package dev.sandglass.query.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import dev.sandglass.storage.mem.MemStorage;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** VMM instances written as the /proc source writes them appear in the sandbox views next to a sandbox. */
class VmmInstancesTest {
    static final long T = 1_800_000_000_000L;

    static MemStorage fleet() {
        MemStorage store = new MemStorage();
        Appender a = store.appender();
        Labels sbx = Labels.of("sandbox_name", "sbx-1", "sandbox_id", "7", "job", "microsandbox", "instance", "h");
        Labels vm = Labels.of("instance_name", "vm-1", "job", "vmm", "instance", "h");
        for (int i = 0; i < 3; i++) {
            long t = T + i * 1000L;
            a.append(a.seriesRef(sbx.builder().set("__name__", "microsandbox_uptime_seconds").build()), t, 100 + i);
            a.append(a.seriesRef(sbx.builder().set("__name__", "microsandbox_memory_usage_bytes").build()), t, 1e6);
            a.append(a.seriesRef(sbx.builder().set("__name__", SandboxField.RUN_INFO).set("run_id", "1").set("pid", "10").build()), t, 1);
            a.append(a.seriesRef(vm.builder().set("__name__", "vmm_uptime_seconds").build()), t, i == 2 ? 0.5 : 50 + i);
            a.append(a.seriesRef(vm.builder().set("__name__", "vmm_memory_rss_bytes").build()), t, 5e6 + i);
            a.append(a.seriesRef(vm.builder().set("__name__", "vmm_allocated_memory_bytes").build()), t, 1 << 30);
            a.append(a.seriesRef(vm.builder().set("__name__", "vmm_cpu_seconds_total").build()), t, 2.5 + i);
        }
        // Run 111 for two collections, then a restart as pid 222.
        long run1 = a.seriesRef(vm.builder().set("__name__", "vmm_instance_info").set("instance_id", "111").set("pid", "111").build());
        a.append(run1, T, 1);
        a.append(run1, T + 1000, 1);
        a.append(run1, T + 2000, Values.STALE_NAN);
        a.append(a.seriesRef(vm.builder().set("__name__", "vmm_instance_info").set("instance_id", "222").set("pid", "222").build()), T + 2000, 1);
        a.commit();
        return store;
    }

    @Test
    void vmmInstancesShowNextToSandboxes() {
        MemStorage store = fleet();
        List<SandboxStatus> plain = new SandboxViews(store).fleet(T + 2500, 60_000);
        assertEquals(List.of("sbx-1"), plain.stream().map(SandboxStatus::name).toList(), "without the layer: sandboxes only");

        List<SandboxStatus> all = new SandboxViews(VmmInstances.over(store)).fleet(T + 2500, 60_000);
        assertEquals(List.of("sbx-1", "vm-1"), all.stream().map(SandboxStatus::name).toList());
        SandboxStatus vm = all.get(1);
        assertTrue(vm.running());
        assertEquals(T + 2000, vm.lastSeenMs());
        assertEquals(5e6 + 2, vm.latest().value(SandboxField.MEMORY_BYTES));
        assertEquals(1 << 30, vm.latest().value(SandboxField.MEMORY_LIMIT_BYTES));
        assertEquals(4.5, vm.latest().value(SandboxField.VCPU_SECONDS));
        assertEquals("222", vm.latest().runId());
        assertFalse(vm.latest().has(SandboxField.CPU_PERCENT), "what the /proc source does not measure is absent");
        assertEquals(1e6, all.get(0).latest().value(SandboxField.MEMORY_BYTES), "the sandbox is unchanged");

        SandboxStatus one = new SandboxViews(VmmInstances.over(store)).sandbox("vm-1", T + 2500);
        assertEquals(5e6 + 2, one.latest().value(SandboxField.MEMORY_BYTES));
    }

    @Test
    void aSelectByNameAloneGivesTheInstancesOwnSeries() {
        try (var q = VmmInstances.over(fleet()).querier(T, T + 3000)) {
            List<String> names = q.select(List.of(dev.sandglass.storage.api.Matcher.eq("sandbox_name", "vm-1"))).stream()
                    .map(s -> s.labels().metricName()).distinct().sorted().toList();
            assertEquals(List.of("vmm_allocated_memory_bytes", "vmm_cpu_seconds_total", "vmm_instance_info", "vmm_memory_rss_bytes",
                    "vmm_uptime_seconds"), names);
            assertEquals(List.of("sbx-1", "vm-1"), q.labelValues("sandbox_name",
                    List.of(dev.sandglass.storage.api.Matcher.eq("__name__", "microsandbox_uptime_seconds"))));
        }
    }

    @Test
    void aNewPidIsARestartInTheRestartAnalysis() {
        List<RunEnd> ends = new RestartAnalysis(VmmInstances.over(fleet())).between(T - 60_000, T + 3000, null, T + 3000);
        assertEquals(1, ends.size(), ends.toString());
        RunEnd e = ends.get(0);
        assertEquals("vm-1", e.sandbox());
        assertEquals(RunEnd.Kind.RESTART, e.kind());
        assertEquals("111", e.oldRunId());
        assertEquals("222", e.newRunId());
    }

    /** {@link #fleet()} and a VMM instance named sbx-1 too, with memory, an allocated size and two runs (pids 333, 444). */
    static MemStorage withNamesake() {
        MemStorage store = fleet();
        Appender a = store.appender();
        Labels vm = Labels.of("instance_name", "sbx-1", "job", "vmm", "instance", "h");
        for (int i = 0; i < 3; i++) {
            long t = T + i * 1000L;
            a.append(a.seriesRef(vm.builder().set("__name__", "vmm_memory_rss_bytes").build()), t, 9e9);
            a.append(a.seriesRef(vm.builder().set("__name__", "vmm_allocated_memory_bytes").build()), t, 2e9);
            a.append(a.seriesRef(vm.builder().set("__name__", "vmm_instance_info").set("instance_id", i < 2 ? "333" : "444")
                    .set("pid", i < 2 ? "333" : "444").build()), t, 1);
        }
        a.commit();
        return store;
    }

    @Test
    void aVmmNamedLikeASandboxIsShownAsThatSandbox() {
        Queryable view = VmmInstances.over(withNamesake());
        List<SandboxStatus> all = new SandboxViews(view).fleet(T + 2500, 60_000);
        assertEquals(List.of("sbx-1", "vm-1"), all.stream().map(SandboxStatus::name).toList(), "one entry for the two named sbx-1");
        SandboxStatus sbx = all.get(0);
        assertEquals(1e6, sbx.latest().value(SandboxField.MEMORY_BYTES), "the sandbox's own memory, not the VMM's RSS");
        assertEquals(2e9, sbx.latest().value(SandboxField.MEMORY_LIMIT_BYTES), "the VMM's allocated memory, which the sandbox lacks");
        assertEquals("1", sbx.latest().runId(), "the sandbox's own run");
        List<RunEnd> ends = new RestartAnalysis(view).between(T - 60_000, T + 3000, null, T + 3000);
        assertEquals(List.of("vm-1"), ends.stream().map(RunEnd::sandbox).toList(), "the namesake's new pid is not sbx-1's restart: " + ends);
    }

    @Test
    void regexAndNegatedNamesAnswerEveryMappedMetricTheyAccept() {
        try (Querier q = VmmInstances.over(fleet()).querier(T, T + 3000)) {
            List<String> got = new ArrayList<>();
            for (Series s : q.select(List.of(new Matcher(Matcher.Type.RE, "__name__", "microsandbox_memory_(usage|host_resident)_bytes")))) {
                got.add(s.labels().get("sandbox_name") + " " + s.labels().metricName() + " " + s.samples().value(2));
            }
            assertEquals(List.of("vm-1 microsandbox_memory_host_resident_bytes 5000002.0", "sbx-1 microsandbox_memory_usage_bytes 1000000.0",
                    "vm-1 microsandbox_memory_usage_bytes 5000002.0"), got, "the RSS under each name it is shown as, sorted by labels");
            List<Series> one = q.selectLazily(List.of(new Matcher(Matcher.Type.RE, "__name__", "microsandbox_(uptime_seconds|memory_usage_bytes)"),
                    new Matcher(Matcher.Type.NEQ, "__name__", "microsandbox_uptime_seconds"), new Matcher(Matcher.Type.RE, "sandbox_name", "vm.*")));
            assertEquals(List.of(Labels.of("__name__", "microsandbox_memory_usage_bytes", "sandbox_name", "vm-1", "job", "vmm", "instance", "h")),
                    one.stream().map(Series::labels).toList());
            assertEquals(0, q.select(List.of(new Matcher(Matcher.Type.RE, "__name__", "microsandbox_cpu.*"))).size(), "not measured from /proc");
        }
    }

    @Test
    void labelNamesAndValuesAreThoseOfTheSelect() {
        List<List<Matcher>> selects = List.of(
                List.of(Matcher.eq("__name__", SandboxField.RUN_INFO)),
                List.of(new Matcher(Matcher.Type.RE, "__name__", "microsandbox_(memory_.*|sandbox_run_info)")),
                List.of(Matcher.eq("__name__", "microsandbox_memory_usage_bytes"), Matcher.eq("sandbox_name", "sbx-1")),
                List.of(Matcher.eq("__name__", "microsandbox_memory_limit_bytes"), new Matcher(Matcher.Type.RE, "sandbox_name", ".+")),
                List.of(Matcher.eq("sandbox_name", "vm-1")),
                List.of(Matcher.eq("job", "vmm")));
        try (Querier q = VmmInstances.over(withNamesake()).querier(T, T + 3000)) {
            for (List<Matcher> ms : selects) {
                List<Series> selected = q.select(ms);
                TreeSet<String> names = new TreeSet<>();
                selected.forEach(s -> s.labels().forEach(l -> names.add(l.name())));
                assertEquals(new ArrayList<>(names), q.labelNames(ms), ms.toString());
                for (String name : List.of("__name__", "sandbox_name", "run_id", "instance_name", "instance_id", "pid", "job")) {
                    TreeSet<String> values = new TreeSet<>();
                    selected.stream().filter(s -> s.labels().has(name)).forEach(s -> values.add(s.labels().get(name)));
                    assertEquals(new ArrayList<>(values), q.labelValues(name, ms), name + " of " + ms);
                }
            }
            assertEquals(List.of("1", "111", "222"), q.labelValues("run_id", selects.get(0)), "the namesake's runs are sbx-1's own");
        }
    }

    /** The view passes on or answers every method a querier has, defaults included (a default there would answer for the store). */
    @Test
    void theViewAnswersEveryQuerierMethod() throws Exception {
        try (Querier q = VmmInstances.over(new MemStorage()).querier(T, T)) {
            for (Method m : Querier.class.getMethods()) {
                if (!Modifier.isStatic(m.getModifiers())) {
                    assertEquals(q.getClass(), q.getClass().getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass(), m.toString());
                }
            }
        }
    }
}
