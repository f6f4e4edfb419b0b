package dev.sandglass.web.api;

import dev.sandglass.ingest.collect.Collector;
import dev.sandglass.ingest.registry.Layout;
import dev.sandglass.ingest.registry.RegistryLocator;
import dev.sandglass.ingest.registry.RegistryReader;
import dev.sandglass.ingest.registry.RegistryWriter;
import dev.sandglass.ingest.registry.SlotSnapshot;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A scripted fleet written to a real v3 registry and collected by the real reader and collector
 * into a real store, one collection per second of script time starting at {@link #t0}:
 * <ul>
 * <li>sbx-a (slot 0, id 1): run 1 started 50 s before t0, samples at seconds 0..59 with memory
 * climbing to 96% of its 1 GiB limit (peak at second 50, 95% at the last sample); restarts as run
 * 2 (new pid), not sampled at seconds 60..62, samples again from second 63 with counters reset;
 * runs to the end (second 119).</li>
 * <li>sbx-b (slot 1, id 2): run 7 reporting only the mandatory fields (no CPU, memory used or
 * upper layer), samples at seconds 0..29, then stops (slot stale).</li>
 * <li>sbx-c (slot 1 reused, id 3): run 1 from second 40 to the end.</li>
 * </ul>
 */
public final class SandboxFleetScript {
    public static final long GIB = 1L << 30;
    public static final int SECONDS = 120;

    public final long t0;

    private SandboxFleetScript(long t0) {
        this.t0 = t0;
    }

    /** The script's second {@code s} as unix ms. */
    public long at(int s) {
        return t0 + s * 1000L;
    }

    /** Memory of sbx-a's first run at second s (0..59): climbs to 0.96 GiB at 50, then 0.95 GiB. */
    public static long memoryA(int s) {
        if (s <= 50) {
            return (long) (GIB * (0.5 + 0.46 * s / 50.0));
        }
        return (long) (GIB * 0.95);
    }

    /** Runs the script into {@code store}; {@code t0} is the time of second 0 (whole seconds). */
    public static SandboxFleetScript run(Path shm, Storage store, long t0) throws IOException {
        SandboxFleetScript sc = new SandboxFleetScript(t0);
        RegistryLocator loc = new RegistryLocator(shm.resolve("home").toString(), "--msb-home", shm);
        try (RegistryWriter w = RegistryWriter.create(loc.path(), 4); RegistryReader reader = new RegistryReader(loc, 1000)) {
            Collector collector = new Collector("host1", false);
            Appender app = store.appender();
            List<SlotSnapshot> slots = new ArrayList<>();
            w.activate(0, 1, 1, 100, t0 - 50_000, "sbx-a");
            w.activate(1, 2, 7, 200, t0 - 10_000, "sbx-b");
            long disk = 5_000_000;
            for (int s = 0; s < SECONDS; s++) {
                long now = sc.at(s);
                if (s < 60) {
                    disk += 1000;
                    w.writeSample(0, sample(now, GIB, memoryA(s), disk, 10.0f + s / 10.0f, Layout.F_CPU | Layout.F_MEMORY_USED));
                } else if (s == 60) {
                    w.restart(0, 2, 101, now + 2000);
                } else if (s >= 63) {
                    w.writeSample(0, sample(now, GIB, GIB / 4, 1000L * (s - 62), 5.0f, Layout.F_CPU | Layout.F_MEMORY_USED));
                }
                if (s < 30) {
                    w.writeSample(1, sample(now, GIB / 2, 0, 100L * s, 0, 0));
                } else if (s == 30) {
                    w.stop(1);
                } else if (s == 40) {
                    w.release(1);
                    w.activate(1, 3, 1, 300, now, "sbx-c");
                }
                if (s >= 40) {
                    w.writeSample(1, sample(now, GIB / 2, GIB / 8, 10L * s, 1.0f, Layout.F_CPU | Layout.F_MEMORY_USED));
                }
                reader.read(slots);
                collector.collect(slots, app, now + 500);
                app.commit();
            }
        }
        return sc;
    }

    private static RegistryWriter.Sample sample(long t, long limit, long mem, long disk, float cpu, int flags) {
        RegistryWriter.Sample x = new RegistryWriter.Sample();
        x.sampledAt = t;
        x.flags = flags;
        x.memoryLimit = limit;
        x.memoryBytes = mem;
        x.cpuPercent = cpu;
        x.vcpuTimeNs = disk * 1000;
        x.diskRead = disk;
        x.diskWrite = disk / 2;
        x.netRx = disk / 4;
        x.netTx = disk / 8;
        return x;
    }
}
