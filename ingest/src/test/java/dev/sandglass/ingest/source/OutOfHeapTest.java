package dev.sandglass.ingest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full heap, in a JVM of its own (-Xmx32m): the registry collect loop and a scrape loop
 * both run out of heap while something else holds it, and both collect again by themselves once
 * it is freed. Before the loop guards, the OutOfMemoryError escaped the scheduled tasks and their
 * executors cancelled them: collection stopped without a word.
 */
class OutOfHeapTest {
    @TempDir
    Path tmp;

    @Test
    void collectionAndScrapingResumeOnceTheHeapFrees() throws Exception {
        try (TestEndpoint endpoint = new TestEndpoint("/metrics")) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                body.append("test_series{i=\"").append(i).append("\"} ").append(i).append('\n');
            }
            endpoint.serve("text/plain; version=0.0.4; charset=utf-8", body.toString());
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle")) {
                    cmd.add(arg);
                }
            }
            cmd.addAll(List.of("-Xmx32m", "-XX:+UseSerialGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                    "-cp", System.getProperty("java.class.path"), OutOfHeapChild.class.getName(), tmp.toString(), endpoint.url("/metrics")));
            Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve("child.err").toFile()).start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            }
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child ends");
            String out = String.join("\n", lines) + "\nstderr (tail):\n" + tail(tmp.resolve("child.err"));
            assertEquals(3, lines.size(), out);
            assertTrue(lines.get(0).startsWith("collecting "), out);
            assertTrue(lines.get(1).matches("released collect_oom=[1-9]\\d* scrape_oom=[1-9]\\d*"), "both loops ran out of heap: " + out);
            assertTrue(lines.get(2).startsWith("resumed "), "both loops work again once the heap is free: " + out);
            assertTrue(lines.get(2).contains("scrape_up=true"), out);
        }
    }

    private static String tail(Path f) throws java.io.IOException {
        String s = java.nio.file.Files.exists(f) ? java.nio.file.Files.readString(f) : "";
        return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    }
}
