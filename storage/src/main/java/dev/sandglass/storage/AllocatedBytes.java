package dev.sandglass.storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes files take on disk (st_blocks * 512), not their apparent sizes: Chronicle files are sparse
 * and preallocated, so their apparent size can be many times what they use, and a size budget
 * counted in apparent bytes drops real data while little disk is used. Java 17 exposes no
 * st_blocks, so one {@code du -B1} lists them all (retention asks once a minute); where du cannot
 * run, apparent sizes are used and that is logged once.
 */
final class AllocatedBytes {
    private static final Logger LOG = LoggerFactory.getLogger(AllocatedBytes.class);
    private static volatile boolean duWorks = true;

    private AllocatedBytes() {
    }

    /** Allocated bytes of each path (a directory: everything under it). */
    static Map<Path, Long> of(List<Path> paths) {
        Map<Path, Long> out = new HashMap<>();
        if (paths.isEmpty()) {
            return out;
        }
        if (duWorks) {
            List<String> cmd = new ArrayList<>(List.of("du", "-B1", "-s", "--"));
            for (Path p : paths) {
                cmd.add(p.toAbsolutePath().toString());
            }
            try {
                Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                Map<String, Path> byName = new HashMap<>();
                for (Path p : paths) {
                    byName.put(p.toAbsolutePath().toString(), p);
                }
                try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        int tab = line.indexOf('\t');
                        Path p = tab < 0 ? null : byName.get(line.substring(tab + 1));
                        if (p != null) {
                            out.put(p, Long.parseLong(line.substring(0, tab)));
                        }
                    }
                }
                if (!proc.waitFor(30, TimeUnit.SECONDS)) {
                    proc.destroyForcibly();
                }
            } catch (IOException | NumberFormatException e) {
                duWorks = false;
                LOG.warn("cannot run du to count allocated bytes ({}); size retention counts apparent file sizes", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Path p : paths) {
            // Missing from du's answer: gone meanwhile (0 then), or du unavailable (apparent size).
            out.computeIfAbsent(p, k -> duWorks ? 0L : apparent(k));
        }
        return out;
    }

    static long of(Path p) {
        return of(List.of(p)).get(p);
    }

    private static long apparent(Path p) {
        try (var all = java.nio.file.Files.walk(p)) {
            return all.filter(java.nio.file.Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
