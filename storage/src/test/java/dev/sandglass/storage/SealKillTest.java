package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL in the middle of a seal of 900,000 samples: after reopening, every committed
 * sample is there exactly once with its value, whether the kill came before, between or after
 * the blocks' appends (the WAL is only dropped after the seal).
 */
class SealKillTest {
    @TempDir
    Path dir;

    @Test
    void aKillDuringASealLosesNothingAndDuplicatesNothing() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SealKillChild.class.getName(), dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("sealing", r.readLine(), "the child committed its batches");
        long delay = new Random().nextInt(60);
        Thread.sleep(delay);
        boolean ended = r.ready(); // "sealed" already written: the kill comes after the seal
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        System.out.println("killed " + delay + " ms after the seal began, " + (ended ? "after it ended" : "before it ended"));

        try (Db db = Db.open(DbOptions.defaults(dir).withRetention(Long.MAX_VALUE / 4, 0));
             Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Series> all = q.select(List.of(Matcher.eq("__name__", "seal")));
            assertEquals(SealKillChild.SERIES, all.size());
            for (Series s : all) {
                int k = Integer.parseInt(s.labels().get("k"));
                Samples sm = s.samples();
                assertEquals(SealKillChild.BATCHES, sm.size(), "series " + k);
                for (int i = 0; i < sm.size(); i++) {
                    assertEquals(i * 1000L, sm.timestamp(i));
                    assertEquals(i * 0.5 + k, sm.value(i));
                }
            }
        }
    }
}
