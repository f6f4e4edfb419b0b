package dev.sandglass.web.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `serve --demo` on a 64 MB tmpfs the test fills: the process stays up (no SIGBUS), ingest
 * pauses with one log line and sandglass_storage_writable 0, queries keep answering, /-/ready
 * turns 503 once collection has stalled, and everything comes back by itself when space is freed.
 * Root only (it mounts); skipped with the reason printed elsewhere. CI runs as root.
 */
class ServeDiskFullTest {
    @TempDir
    Path tmp;

    private static String sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor(30, TimeUnit.SECONDS);
        return p.exitValue() == 0 ? null : out;
    }

    private static String metrics(int port) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void await(String what, long seconds, BooleanSupplier cond) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(100);
        }
    }

    private static boolean has(int port, String text) {
        try {
            return metrics(port).contains(text);
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aFullDiskPausesIngestAndItResumesByItself() throws Exception {
        Path fs = tmp.resolve("fs");
        Files.createDirectories(fs);
        String why = sh("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", fs.toString());
        if (why != null) {
            String msg = "skipped: cannot mount a tmpfs at " + fs + " (" + why + "); run as root to test a full disk";
            System.out.println(msg);
            Assumptions.abort(msg);
        }
        StringBuffer log = new StringBuffer();
        CrashLoop.Server s = null;
        try {
            s = CrashLoop.start(CrashLoop.launcher(null), List.of("serve", "--demo=2", "--data-dir", fs.resolve("data").toString(),
                    "--listen", "127.0.0.1:0", "--no-warmup", "--collect-interval", "100ms"), log);
            int port = s.port();
            await("collections are stored", 60, () -> has(port, "sandglass_storage_writable 1") && !has(port, "sandglass_ingest_samples_total 0\n"));

            Path filler = fs.resolve("filler");
            try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.CREATE)) {
                byte[] chunk = new byte[4096];
                while (true) {
                    out.write(chunk);
                }
            } catch (IOException full) {
                // the file system is full
            }
            await("ingest pauses", 30, () -> has(port, "sandglass_storage_writable 0"));
            StoredSamples before = StoredSamples.fetch(port, "sandglass_ingest_collections_total");
            assertTrue(before.count() > 0, "queries keep answering on a full disk");
            await("/-/ready says 503 once collection has stalled", 60, () -> StoredSamples.status(port, "/-/ready") == 503);
            assertEquals(200, StoredSamples.status(port, "/-/healthy"));
            assertTrue(s.process().isAlive(), "the process survives a full disk:\n" + log);
            assertTrue(metrics(port).contains("sandglass_ingest_failures_total{reason=\"disk_full\"}"), metrics(port));

            Files.delete(filler);
            await("ingest resumes by itself", 60, () -> has(port, "sandglass_storage_writable 1")
                    && StoredSamples.status(port, "/-/ready") == 200);
            await("new collections are stored", 30, () -> {
                try {
                    return StoredSamples.fetch(port, "sandglass_ingest_collections_total").count() > before.count();
                } catch (Exception e) {
                    return false;
                }
            });
            String text = log.toString();
            assertEquals(1, count(text, "ingest paused"), "one line when ingest pauses:\n" + text);
            assertEquals(1, count(text, "ingest resumed"), "one line when it resumes:\n" + text);
            assertTrue(!text.contains("SIGBUS") && !text.contains("Exception"), text);
        } finally {
            if (s != null) {
                s.process().destroy(); // SIGTERM: a clean stop
                s.process().waitFor(60, TimeUnit.SECONDS);
            }
            sh("umount", "-l", fs.toString());
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
