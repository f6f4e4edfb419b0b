package dev.sandglass.ingest.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.ingest.registry.Layout;
import dev.sandglass.ingest.registry.RegistryLocator;
import dev.sandglass.ingest.registry.RegistryReader;
import dev.sandglass.ingest.registry.RegistryWriter;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import dev.sandglass.storage.mem.MemStorage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorTest {
    @TempDir
    Path shm;

    private RegistryLocator locator() {
        return new RegistryLocator("/demo", "--msb-home", shm);
    }

    private static RegistryWriter.Sample sample(long t, long counter) {
        RegistryWriter.Sample s = new RegistryWriter.Sample();
        s.sampledAt = t;
        s.flags = Layout.F_CPU | Layout.F_MEMORY_USED;
        s.memoryLimit = 1 << 30;
        s.cpuPercent = 50f;
        s.memoryBytes = 100;
        s.diskWrite = counter;
        return s;
    }

    private static Samples series(MemStorage store, String name, String sandbox) {
        try (Querier q = store.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Series> s = q.select(List.of(Matcher.eq("__name__", name), Matcher.eq("sandbox_name", sandbox)));
            return s.isEmpty() ? new Samples() : s.get(0).samples();
        }
    }

    @Test
    void restartsSlotReuseAndStopsBecomeHistoryWithStalenessMarkers() throws Exception {
        MemStorage store = new MemStorage();
        IngestMetrics metrics = new IngestMetrics();
        try (RegistryWriter w = RegistryWriter.create(locator().path(), 4);
             CollectLoop loop = new CollectLoop(new RegistryReader(locator(), 100), store, 1000, "host1", false, metrics)) {
            w.activate(0, 7, 1, 100, 1_000, "web");
            w.writeSample(0, sample(2_000, 10));
            loop.collectOnce();
            loop.collectOnce(); // same sample again: nothing new
            w.writeSample(0, sample(3_000, 20));
            loop.collectOnce();
            w.restart(0, 2, 101, 3_500);
            w.writeSample(0, sample(4_000, 1)); // counter reset
            loop.collectOnce();
            w.stop(0);
            loop.collectOnce();
            loop.collectOnce(); // stale slot: its last sample is not ingested twice
            w.release(0);
            w.activate(0, 8, 1, 200, 5_000, "db");
            w.writeSample(0, sample(6_000, 5));
            loop.collectOnce();

            Samples disk = series(store, "microsandbox_disk_bytes_written", "web");
            assertEquals(4, disk.size(), "3 samples and one staleness marker");
            assertEquals(10.0, disk.value(0));
            assertEquals(20.0, disk.value(1));
            assertEquals(1.0, disk.value(2));
            assertTrue(Values.isStaleNaN(disk.value(3)));
            assertTrue(disk.timestamp(3) > 4_000);

            Samples cpu = series(store, "microsandbox_cpu_utilization_ratio", "web");
            assertEquals(0.5, cpu.value(0));
            Samples uptime = series(store, "microsandbox_uptime_seconds", "web");
            assertEquals(1.0, uptime.value(0));
            assertEquals(0.5, uptime.value(2));

            // Optional fields absent: no memory_available series at all.
            assertEquals(0, series(store, "microsandbox_memory_available_bytes", "web").size());

            // The run info records both runs; the first ends with a staleness marker at the restart.
            try (Querier q = store.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                List<Series> runs = q.select(List.of(Matcher.eq("__name__", "microsandbox_sandbox_run_info"), Matcher.eq("sandbox_name", "web")));
                assertEquals(2, runs.size());
                assertEquals("1", runs.get(0).labels().get("run_id"));
                Samples r1 = runs.get(0).samples();
                assertTrue(Values.isStaleNaN(r1.value(r1.size() - 1)));
                assertEquals("host1", runs.get(0).labels().get("instance"));
                assertEquals("microsandbox", runs.get(0).labels().get("job"));
                assertEquals("7", runs.get(0).labels().get("sandbox_id"));
            }
            assertEquals(1, series(store, "microsandbox_disk_bytes_written", "db").size());
            assertEquals(7, metrics.collections());
            assertEquals(0, metrics.failures());
            assertEquals(1, metrics.sandboxes());
            StringBuilder text = new StringBuilder();
            metrics.writePrometheusText(text);
            assertTrue(text.toString().contains("sandglass_ingest_collections_total 7\n"));
            // Self-metrics are stored too; the latest stored value is the 7th collection.
            Samples self = selfMetric(store);
            assertEquals(7.0, self.value(self.size() - 1));
        }
    }

    private static Samples selfMetric(MemStorage store) {
        try (Querier q = store.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            return q.select(List.of(Matcher.eq("__name__", "sandglass_ingest_collections_total"), Matcher.eq("job", "sandglass"))).get(0).samples();
        }
    }

    @Test
    void aMissingRegistryIsCountedAndTheLoopGoesOn() throws Exception {
        MemStorage store = new MemStorage();
        IngestMetrics metrics = new IngestMetrics();
        try (CollectLoop loop = new CollectLoop(new RegistryReader(locator(), 100), store, 1000, "h", false, metrics)) {
            loop.collectOnce();
            loop.collectOnce();
            assertEquals(2, metrics.failures());
            try (RegistryWriter w = RegistryWriter.create(locator().path(), 2)) {
                w.activate(1, 3, 1, 1, 1_000, "late");
                w.writeSample(1, sample(2_000, 1));
                loop.collectOnce();
                assertEquals(2, metrics.failures());
                assertEquals(1, series(store, "microsandbox_disk_bytes_written", "late").size());
            }
        }
    }
}
