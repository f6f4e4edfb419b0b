package dev.sandglass.ingest.source;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real program of the test machine (node exporter, Prometheus) on a free loopback port, killed on close. */
public final class RealProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    public final int port;

    private RealProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts {@code binary args...}; "{port}" in args is replaced by a free port; waits until it accepts connections. */
    public static RealProcess start(Path dir, String binary, String... args) throws Exception {
        if (!Files.isExecutable(Path.of(binary))) {
            throw new IllegalStateException(binary + " is missing: install it with apt-get (.ci/run does)");
        }
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(binary));
        for (String a : args) {
            cmd.add(a.replace("{port}", Integer.toString(port)));
        }
        Path log = Files.createTempFile(dir, "process", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RealProcess rp = new RealProcess(p, log, port);
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(binary + " exited: " + Files.readString(log));
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return rp;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        rp.close();
        throw new IllegalStateException(binary + " did not listen on port " + port + " within 30 s: " + Files.readString(log));
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
