package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import java.io.BufferedReader;
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
 * New series are written to the index log in one batch per commit and copied into the map later:
 * a child JVM that mints 100 series a batch is killed with SIGKILL three times on the same data
 * dir. After each kill every committed batch's series are there with their one sample, every
 * sample sits under the labels it was written for (a ref handed out twice would put it under
 * another's), and series added after the reopen take new refs.
 */
class NewSeriesCrashTest {
    @TempDir
    Path dir;

    private Process child(long firstBatch) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle")) {
                cmd.add(arg);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(NewSeriesCrashChild.class.getName());
        cmd.add(dir.toString());
        cmd.add(Long.toString(firstBatch));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Runs a child from {@code firstBatch} until killed; returns the last batch it reported committed. */
    private long runAndKill(long firstBatch) throws Exception {
        Process p = child(firstBatch);
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
        assertTrue(ready.get() != 0, "the child did not start");
        Thread.sleep(1000);
        p.destroyForcibly(); // SIGKILL on Linux
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        reader.join(30_000);
        assertTrue(!reader.isAlive(), "the child's output was not read to its end");
        assertTrue(last.get() >= firstBatch, "the child committed nothing");
        return last.get();
    }

    @Test
    void newSeriesOfEveryCommittedBatchSurviveSigkillUnderTheirOwnLabels() throws Exception {
        long next = 0;
        for (int round = 0; round < 3; round++) {
            long committed = runAndKill(next);
            try (Db db = Db.open(DbOptions.defaults(dir).withRetention(Long.MAX_VALUE / 4, 0))) {
                long highest = -1;
                int withSamples = 0;
                try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                    for (Series s : q.select(List.of(Matcher.eq("__name__", "churn")))) {
                        long b = Long.parseLong(s.labels().get("b"));
                        int i = Integer.parseInt(s.labels().get("i"));
                        Samples sm = s.samples();
                        // A batch killed between its series' write and its WAL commit leaves series without samples.
                        assertTrue(sm.size() <= 1, s.labels() + " has " + sm.size() + " samples");
                        if (sm.size() == 1) {
                            assertEquals(b, sm.timestamp(0), "timestamp under " + s.labels());
                            assertEquals(b * 1000.0 + i, sm.value(0), "value under " + s.labels());
                            withSamples++;
                            highest = Math.max(highest, b);
                        } else {
                            assertTrue(b > committed, "committed batch " + b + " lost its sample for " + s.labels());
                        }
                    }
                }
                assertTrue(highest >= committed, "round " + round + ": batch " + committed + " was committed, highest stored " + highest);
                assertEquals((highest + 1) * NewSeriesCrashChild.PER_BATCH, withSamples, "round " + round + ": every batch up to " + highest);
                next = highest + 1;
                try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                    List<Series> after = q.select(List.of(Matcher.eq("__name__", "after")));
                    assertEquals(round, after.size(), "one series added after each earlier reopen");
                    for (Series s : after) {
                        assertEquals(Double.parseDouble(s.labels().get("round")), s.samples().value(0), "value under " + s.labels());
                    }
                }
                // A series added after the kill takes a ref none of the stored series has: checked
                // by the next round, which finds every sample still under its own labels.
                Appender a = db.appender();
                Labels l = Labels.of("__name__", "after", "round", Integer.toString(round));
                long ref = a.seriesRef(l);
                a.append(ref, next, round);
                a.commit();
                assertEquals(l, db.seriesLabels((int) ref));
            }
        }
    }
}
