package dev.sandglass.web.ui;

import dev.sandglass.ingest.collect.Collector;
import dev.sandglass.ingest.registry.Layout;
import dev.sandglass.ingest.registry.RegistryLocator;
import dev.sandglass.ingest.registry.RegistryReader;
import dev.sandglass.ingest.registry.RegistryWriter;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.api.Appender;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Three sandboxes written to a real v3 registry and read by the real collector into the store:
 * ten minutes of history at one sample a second, then live samples every second.
 * <ul>
 * <li>sbx-alpha restarts four minutes before the end, its memory at 95% of its limit just before;</li>
 * <li>sbx-beta stops two minutes before the end;</li>
 * <li>sbx-gamma has no samples for a minute (a gap) five minutes before the end.</li>
 * </ul>
 * One thread owns the appender, as the collect loop's does.
 */
final class ScriptedFleet implements AutoCloseable {
    static final String ALPHA = "sbx-alpha";
    static final String BETA = "sbx-beta";
    static final String GAMMA = "sbx-gamma";
    static final long MIB = 1 << 20;
    static final int HISTORY_S = 600;

    private final RegistryWriter writer;
    private final RegistryReader reader;
    private final Collector collector = new Collector("test", false);
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
    private final long[] limit = {512 * MIB, 1024 * MIB, 256 * MIB};
    private final long[] counter = new long[3];
    private Appender app;
    private int alphaRun = 1;
    long restartAtMs;
    long stopAtMs;

    ScriptedFleet(Path dir, Db db) throws Exception {
        RegistryLocator locator = new RegistryLocator(dir.resolve("home").toString(), "the UI test's home", dir);
        writer = RegistryWriter.create(locator.path(), 16);
        reader = new RegistryReader(locator, 100);
        thread.submit(() -> app = db.appender()).get();
    }

    /** Writes the history ending at {@code endMs} and starts the live samples after it. */
    void start(long endMs) throws Exception {
        thread.submit(() -> history(endMs)).get();
        thread.scheduleAtFixedRate(() -> collect(System.currentTimeMillis(), true), 1000, 1000, TimeUnit.MILLISECONDS);
    }

    private void history(long endMs) {
        long start = endMs - HISTORY_S * 1000L;
        restartAtMs = endMs - 240_000;
        stopAtMs = endMs - 120_000;
        writer.activate(0, 1, 1, 100, start - 3_600_000, ALPHA);
        writer.activate(1, 2, 1, 200, start - 7_200_000, BETA);
        writer.activate(2, 3, 1, 300, start - 60_000, GAMMA);
        for (long t = start; t <= endMs; t += 1000) {
            if (t == restartAtMs) {
                writer.restart(0, ++alphaRun, 101, t);
                counter[0] = 0;
            }
            if (t == stopAtMs) {
                writer.stop(1);
            }
            boolean gammaGap = t >= endMs - 300_000 && t < endMs - 240_000;
            collect(t, !gammaGap);
        }
    }

    private void collect(long t, boolean gammaWrites) {
        long toRestart = restartAtMs - t;
        // alpha's memory climbs to 95% of its limit in the minute before its restart
        double alphaMem = toRestart > 0 && toRestart <= 60_000 ? 0.95 : 0.40 + 0.1 * Math.sin(t / 60_000.0);
        sample(0, t, 45 + 10 * Math.sin(t / 20_000.0), alphaMem);
        if (t < stopAtMs) {
            sample(1, t, 12, 0.30);
        }
        if (gammaWrites) {
            sample(2, t, 3 + (t / 1000 % 5), 0.50);
        }
        collector.collect(reader.read(), app, t);
        app.commit();
    }

    private void sample(int slot, long t, double cpuPercent, double memRatio) {
        counter[slot] += 4096 * (1 + slot) * 10;
        RegistryWriter.Sample s = new RegistryWriter.Sample();
        s.sampledAt = t;
        s.flags = Layout.F_CPU | Layout.F_MEMORY_USED;
        s.memoryLimit = limit[slot];
        s.cpuPercent = (float) cpuPercent;
        s.vcpuTimeNs = counter[slot] * 1000;
        s.memoryBytes = (long) (limit[slot] * memRatio) / 4096 * 4096;
        s.diskRead = counter[slot];
        s.diskWrite = counter[slot] / 2;
        s.netRx = counter[slot] * 3;
        s.netTx = counter[slot];
        writer.writeSample(slot, s);
    }

    @Override
    public void close() throws Exception {
        thread.shutdownNow();
        thread.awaitTermination(10, TimeUnit.SECONDS);
        reader.close();
        writer.deleteFile();
        writer.close();
    }
}
