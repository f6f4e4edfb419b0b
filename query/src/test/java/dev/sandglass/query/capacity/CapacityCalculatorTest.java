package dev.sandglass.query.capacity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capacity report on a scripted fleet whose figures are known: sbx-a runs two hours (CPU 0.5
 * with one 2.0 sample, memory 100 MiB then 300 MiB of a 1 GiB limit, reading 1000 B/s from disk,
 * restarted once at the hour), sbx-b runs only the second hour (CPU 1.0, memory at its 512 MiB
 * limit, writing 2000 B/s). Written live through the appender with seals between, so windows
 * come from rollups and from the unsealed head alike.
 */
class CapacityCalculatorTest {
    private static final long MIB = 1 << 20;
    private static final long T0 = 1_760_000_000_000L / 3_600_000L * 3_600_000L;
    private static final long STEP = 10_000;

    @TempDir
    Path dir;

    private static Labels l(String name, String sandbox) {
        return Labels.of("__name__", name, "sandbox_name", sandbox, "job", "microsandbox");
    }

    private void write(Db db) {
        Appender a = db.appender();
        for (long t = T0 + 1_000; t < T0 + 7_200_000; t += STEP) {
            boolean second = t >= T0 + 3_600_000;
            a.append(a.seriesRef(l(CapacityCalculator.CPU, "sbx-a")), t, t == T0 + 1_801_000 ? 2.0 : 0.5);
            a.append(a.seriesRef(l(CapacityCalculator.MEMORY, "sbx-a")), t, (second ? 300 : 100) * MIB);
            a.append(a.seriesRef(l(CapacityCalculator.LIMIT, "sbx-a")), t, 1024 * MIB);
            // The counter restarts from zero with the sandbox, at the hour.
            a.append(a.seriesRef(l(CapacityCalculator.DISK_READ, "sbx-a")), t, second ? (t - T0 - 3_600_000) : (t - T0));
            a.append(a.seriesRef(l(CapacityCalculator.START, "sbx-a")), t, second ? 3600 : 0);
            if (second) {
                a.append(a.seriesRef(l(CapacityCalculator.CPU, "sbx-b")), t, 1.0);
                a.append(a.seriesRef(l(CapacityCalculator.MEMORY, "sbx-b")), t, 512 * MIB);
                a.append(a.seriesRef(l(CapacityCalculator.LIMIT, "sbx-b")), t, 512 * MIB);
                a.append(a.seriesRef(l(CapacityCalculator.DISK_WRITE, "sbx-b")), t, 2 * (t - T0 - 3_600_000));
                a.append(a.seriesRef(l(CapacityCalculator.START, "sbx-b")), t, 3600);
            }
            if ((t - T0) % 300_000 == 1_000) {
                a.commit();
            }
            if ((t - T0) % 1_337_000 == 1_000) {
                a.commit();
                db.seal();
            }
        }
        a.commit();
    }

    @Test
    void figuresOfAScriptedFleet() {
        try (Db db = Db.open(DbOptions.defaults(dir).withRetention(100L * 365 * 86_400_000L, 0))) {
            write(db);
            CapacityReport r = CapacityCalculator.compute(db, T0 + 7_200_000, 7_200_000, CapacityCalculator.FIVE_MINUTES_MS, null);
            assertEquals(T0, r.startMs());
            assertEquals(List.of("sbx-a", "sbx-b"), r.sandboxes().stream().map(CapacityReport.Sandbox::name).toList());
            CapacityReport.Figures a = r.sandboxes().get(0).figures();
            CapacityReport.Figures b = r.sandboxes().get(1).figures();
            assertEquals(2.0, a.cpuPeak());
            assertEquals((719 * 0.5 + 2.0) / 720, a.cpuMean(), 1e-12);
            assertEquals(0.5, a.cpuP95(), 1e-12, "p95 of 5-minute means: the spike's window mean is 0.55, one of 24");
            assertEquals(300 * MIB, a.memoryPeak());
            assertEquals(200 * MIB, a.memoryMean(), 1e-6);
            assertEquals(300 * MIB, a.memoryP95(), 1e-6);
            assertEquals(1024 * MIB, a.memoryLimit());
            assertEquals(300.0 / 1024, a.memoryPeakOfLimit(), 1e-12);
            assertEquals(200.0 / 1024, a.memoryMeanOfLimit(), 1e-12);
            assertEquals(1000.0, a.diskReadPeak(), 1e-9, "1000 B/s in every whole window; the restart's window counts from zero");
            // Increase over the range: 3,590 s before the restart, then the first value after it (a reset
            // counts the new value, as in Prometheus), then 3,590 s more.
            assertEquals((3_590_000 + 1_000 + 3_590_000) / 7200.0, a.diskReadMean(), 1e-9);
            assertEquals(1, a.restarts());
            assertEquals(1.0, b.cpuPeak());
            assertEquals(1.0, b.memoryPeakOfLimit());
            assertEquals(2000.0, b.diskWritePeak(), 1e-9);
            assertEquals(0, b.restarts());
            assertEquals(2.0, r.running().peak());
            assertEquals(1.5, r.running().mean(), 1e-12);
            assertEquals(24, r.running().count().length);
            CapacityReport.Figures f = r.fleet();
            assertEquals(1.5, f.cpuPeak(), 1e-12, "sum of window means, second hour");
            assertEquals(812 * MIB, f.memoryPeak(), 1e-6);
            assertEquals(812.0 / 1536, f.memoryPeakOfLimit(), 1e-12);
            assertEquals(1, f.restarts());
            assertEquals("sbx-b", r.topMemoryOfLimit().get(0).sandbox());
            assertEquals("sbx-a", r.topCpu().get(0).sandbox());
            // One sandbox only.
            CapacityReport one = CapacityCalculator.compute(db, T0 + 7_200_000, 7_200_000, CapacityCalculator.HOUR_MS, "sbx-b");
            assertEquals(1, one.sandboxes().size());
            assertEquals(1.0, one.running().peak());
            assertEquals(512 * MIB, one.fleet().memoryPeak(), 1e-6);
        }
    }
}
