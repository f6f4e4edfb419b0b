package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM that is ingesting is killed with SIGKILL, three times on the same data dir; after
 * each kill the reopened store must hold every sample the child had committed (sealed or only in
 * the WAL), exactly, once, and reopen in seconds.
 */
class CrashTest {
    @TempDir
    Path dir;

    private Process child(long startT) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle")) {
                cmd.add(arg);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CrashChild.class.getName());
        cmd.add(dir.toString());
        cmd.add(Long.toString(startT));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void everyCommittedSampleSurvivesSigkill() throws Exception {
        long firstT = 1_000_000;
        long nextT = firstT;
        for (int round = 0; round < 3; round++) {
            Process p = child(nextT);
            AtomicLong last = new AtomicLong(-1);
            AtomicLong ready = new AtomicLong();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.equals("ready")) {
                            ready.set(System.nanoTime());
                        } else if (line.startsWith("committed ")) {
                            last.set(Long.parseLong(line.substring(10)));
                        }
                    }
                } catch (Exception ignored) {
                    // the child died: that is the point
                }
            });
            reader.start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (ready.get() == 0 && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(20);
            }
            assertTrue(ready.get() != 0, "round " + round + ": the child did not start");
            Thread.sleep(1500);
            p.destroyForcibly(); // SIGKILL on Linux
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            reader.join(30_000);
            assertTrue(!reader.isAlive(), "the child's output was not read to its end");
            long committed = last.get();
            assertTrue(committed >= nextT, "round " + round + ": the child committed nothing");

            long t0 = System.nanoTime();
            try (Db db = Db.open(DbOptions.defaults(dir).withRetention(Long.MAX_VALUE / 4, 0))) {
                // Reported, not asserted: a shared machine's speed is no verdict on correctness.
                System.out.println("crash round " + round + ": reopened in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                    List<Series> all = q.select(List.of(Matcher.eq("__name__", "crash")));
                    assertEquals(CrashChild.SERIES, all.size());
                    for (Series s : all) {
                        int k = Integer.parseInt(s.labels().get("k"));
                        Samples sm = s.samples();
                        // Every committed timestamp from the first round on, once, in order, exact.
                        long expected = committed - firstT + 1;
                        assertTrue(sm.size() >= expected, "series " + k + " has " + sm.size() + " samples, expected at least " + expected);
                        // Everything present is contiguous and exact: nothing corrupt, nothing twice. Samples
                        // past the last report were committed by a child killed before it could say so.
                        for (int i = 0; i < sm.size(); i++) {
                            long t = firstT + i;
                            assertEquals(t, sm.timestamp(i), "series " + k + " sample " + i);
                            assertEquals(t * 0.5 + k, sm.value(i), "series " + k + " at " + t);
                        }
                        nextT = Math.max(nextT, firstT + sm.size());
                    }
                    // Rollups, whose windows span the child's seals and kills, equal the raw samples'.
                    for (long res : dev.sandglass.storage.rollup.RollupWriter.RESOLUTIONS_MS) {
                        for (var r : q.selectRollups(List.of(Matcher.eq("__name__", "crash")), res, Long.MIN_VALUE, Long.MAX_VALUE)) {
                            Samples sm = null;
                            for (Series s : all) {
                                if (s.labels().equals(r.labels())) {
                                    sm = s.samples();
                                }
                            }
                            dev.sandglass.storage.rollup.BruteForce.assertSame(dev.sandglass.storage.rollup.BruteForce.windows(sm, res), r,
                                    "round " + round + " " + r.labels());
                        }
                    }
                }
            }
        }
    }
}
