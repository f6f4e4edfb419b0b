package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A child JVM running {@code main(dir, arg)} that prints "ready" once open and "committed N" after
 * each commit, killed with SIGKILL a while after it is ready: the crash tests' writer.
 */
final class KilledChild {
    private KilledChild() {
    }

    /** Runs the child, kills it {@code runMs} after it is ready; the last N it reported committed. */
    static long runAndKill(Class<?> main, Path dir, long arg, long runMs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-Dchronicle")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.add(dir.toString());
        cmd.add(Long.toString(arg));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
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
        Thread.sleep(runMs);
        p.destroyForcibly(); // SIGKILL on Linux
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        reader.join(30_000);
        assertTrue(!reader.isAlive(), "the child's output was not read to its end");
        return last.get();
    }
}
