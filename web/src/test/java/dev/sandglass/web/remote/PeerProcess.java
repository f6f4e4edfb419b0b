package dev.sandglass.web.remote;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A real peer program (Prometheus, VictoriaMetrics) started for a test on a free loopback port
 * with its own data dir, its output in a log file, killed when closed.
 */
public final class PeerProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Process process;
    public final int port;
    private final Path log;

    private PeerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code command} (the port is already in it) and waits up to 30 s for {@code readyPath} to answer 200. */
    public static PeerProcess start(List<String> command, int port, String readyPath, Path dir) throws Exception {
        String exe = command.get(0);
        if (!new File(exe).canExecute()) {
            throw new IllegalStateException(exe + " is not installed (CI installs it: .ci/run's need list)");
        }
        Path log = dir.resolve(new File(exe).getName() + ".log");
        Process p = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        PeerProcess peer = new PeerProcess(p, port, log);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(exe + " exited with " + p.exitValue() + ": " + peer.logTail());
            }
            try {
                if (peer.get(readyPath).statusCode() == 200) {
                    return peer;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        peer.close();
        throw new IllegalStateException(exe + " not ready within 30 s: " + peer.logTail());
    }

    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(java.time.Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code pathAndQuery} until its body satisfies {@code ok}, up to {@code seconds}; returns the last body. */
    public String await(String pathAndQuery, Predicate<String> ok, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(pathAndQuery);
            body = r.body();
            if (r.statusCode() == 200 && ok.test(body)) {
                return body;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no satisfying answer from " + pathAndQuery + " within " + seconds + " s; last: " + body
                + "\n--- log tail ---\n" + logTail());
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the process (SIGKILL after 5 s) and waits for it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
