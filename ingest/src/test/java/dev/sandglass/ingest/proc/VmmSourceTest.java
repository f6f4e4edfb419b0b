package dev.sandglass.ingest.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.ingest.source.SourceHealthSet;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /proc source on real processes of the test machine, and on a real TAP device in a network namespace. */
class VmmSourceTest {
    @TempDir
    Path tmp;

    static List<Series> select(Db db, String metric, String... kv) {
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Matcher> ms = new ArrayList<>(List.of(Matcher.eq("__name__", metric)));
            for (int i = 0; i < kv.length; i += 2) {
                ms.add(Matcher.eq(kv[i], kv[i + 1]));
            }
            List<Series> out = new ArrayList<>();
            for (Series s : q.select(ms)) {
                out.add(Series.of(s.labels(), s.samples()));
            }
            return out;
        }
    }

    static double last(Series s) {
        return s.samples().value(s.samples().size() - 1);
    }

    /** Burns a little CPU, then sleeps; its unique argument lets a cmdline regex find it and nothing else. */
    static Process vmmLike(String tag) throws Exception {
        return new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; exec sleep 600." + tag).start();
    }

    @Test
    void aRealProcessItsRestartAndItsExit() throws Exception {
        String tag = Long.toString(System.nanoTime() % 1_000_000_000L);
        Process p1 = vmmLike(tag);
        try (Db db = Db.open(DbOptions.defaults(tmp.resolve("data")))) {
            SourceHealthSet health = new SourceHealthSet();
            VmmSource src = new VmmSource(List.of(VmmSpec.parse("cmdline=sleep 600\\." + tag + ",name=vm1,vcpus=2,memory=256MiB")),
                    false, ProcFs.system(), db, 1000, "host1", health);
            Thread.sleep(300);
            src.collectOnce();
            Thread.sleep(20);
            src.collectOnce();
            Series rss = select(db, "vmm_memory_rss_bytes", "instance_name", "vm1").get(0);
            assertEquals("vmm", rss.labels().get("job"));
            assertEquals("host1", rss.labels().get("instance"));
            assertTrue(last(rss) > 100_000, "rss " + last(rss));
            assertTrue(last(select(db, "vmm_memory_vms_bytes").get(0)) >= last(rss));
            assertTrue(last(select(db, "vmm_cpu_seconds_total").get(0)) >= 0);
            assertEquals(2.0, last(select(db, "vmm_allocated_vcpus").get(0)));
            assertEquals(256.0 * (1 << 20), last(select(db, "vmm_allocated_memory_bytes").get(0)));
            assertEquals(last(rss) / (256.0 * (1 << 20)), last(select(db, "vmm_memory_utilization_ratio").get(0)), 1e-12);
            double start = last(select(db, "vmm_start_time_seconds").get(0));
            assertTrue(Math.abs(start - System.currentTimeMillis() / 1000.0) < 30, "start " + start);
            Series up = select(db, "vmm_uptime_seconds").get(0);
            assertEquals(up.samples().timestamp(1) / 1000.0 - start, last(up), 1e-6);
            assertTrue(select(db, "vmm_network_receive_bytes_total").isEmpty(), "no tap given: no network series");
            List<Series> info = select(db, "vmm_instance_info");
            assertEquals(1, info.size());
            assertEquals(Long.toString(p1.pid()), info.get(0).labels().get("instance_id"));

            // A restart: a new process under the same name.
            p1.destroy();
            p1.waitFor(5, TimeUnit.SECONDS);
            Process p2 = vmmLike(tag);
            try {
                Thread.sleep(300);
                src.collectOnce();
                info = select(db, "vmm_instance_info");
                assertEquals(2, info.size(), "one info series per run");
                Series old = info.stream().filter(s -> s.labels().get("pid").equals(Long.toString(p1.pid()))).findFirst().orElseThrow();
                assertTrue(Values.isStaleNaN(last(old)), "the old run ended");
                Series rss2 = select(db, "vmm_memory_rss_bytes", "instance_name", "vm1").get(0);
                assertEquals(3, rss2.samples().size(), "the instance's series go on across the restart");
            } finally {
                p2.destroy();
                p2.waitFor(5, TimeUnit.SECONDS);
            }
            // The process exits: every series ends with a staleness marker; health says why.
            src.collectOnce();
            for (String m : List.of("vmm_memory_rss_bytes", "vmm_cpu_seconds_total", "vmm_allocated_vcpus")) {
                assertTrue(Values.isStaleNaN(last(select(db, m).get(0))), m);
            }
            var h = health.all().get(0);
            assertFalse(h.up());
            assertEquals(1, h.failures("no_process"));
            assertTrue(h.lastError().contains("start the VMM or fix the selector"), h.lastError());
            src.collectOnce();
            assertEquals(4, select(db, "vmm_memory_rss_bytes").get(0).samples().size(), "stale once only");
        } finally {
            p1.destroyForcibly();
        }
    }

    @Test
    void withoutAllocatedMemoryThereIsNoUtilizationRatio() throws Exception {
        Process p = vmmLike(Long.toString(System.nanoTime() % 1_000_000L));
        try (Db db = Db.open(DbOptions.defaults(tmp.resolve("data")))) {
            SourceHealthSet health = new SourceHealthSet();
            VmmSource src = new VmmSource(List.of(VmmSpec.parse("pid=" + p.pid())), false, ProcFs.system(), db, 1000, "h", health);
            src.collectOnce();
            assertTrue(health.all().get(0).up(), String.valueOf(health.all().get(0).lastError()));
            assertEquals(1, select(db, "vmm_memory_rss_bytes").size());
            assertTrue(select(db, "vmm_memory_utilization_ratio").isEmpty());
            assertTrue(select(db, "vmm_allocated_memory_bytes").isEmpty());
            String name = select(db, "vmm_memory_rss_bytes").get(0).labels().get("instance_name");
            assertTrue(name.endsWith("-" + p.pid()), name);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void badSpecsSayWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> VmmSpec.parse("name=x")).getMessage().contains("exactly one of pid=N"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> VmmSpec.parse("pid=abc")).getMessage().contains("positive integer"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> VmmSpec.parse("comm=(")).getMessage().contains("bad regex"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> VmmSpec.parse("pid=1,foo=2")).getMessage().contains("unknown key \"foo\""));
        assertEquals(2L << 30, VmmSpec.parse("pid=1,memory=2GiB").memoryBytes());
        assertNull(VmmSpec.parse("pid=1").memoryBytes());
        assertTrue(VmmSource.DISCOVER.matcher("cloud-hyperviso").matches());
        assertTrue(VmmSource.DISCOVER.matcher("qemu-system-x86_64").matches());
        assertFalse(VmmSource.DISCOVER.matcher("sleep").matches());
    }
}
