package dev.sandglass.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `serve` makes no outbound connection: a child process runs it (demo fleet, collection,
 * warm-up with its requests to itself, our queries), while this test reads the child's socket
 * inodes from /proc/PID/fd and matches them in /proc/PID/net/{tcp,tcp6,udp,udp6} every few
 * milliseconds. Every socket must be loopback and touch the server's own port (its listener,
 * connections to it); Chronicle's analytics, a DNS lookup or any call home would show up as
 * another address or port.
 */
class NoOutboundConnectionTest {
    @TempDir
    Path tmp;

    private static final Pattern SERVING = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/");

    @Test
    void serveTalksToNobodyButItsClients() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-")) {
                cmd.add(arg);
            }
        }
        // No -Dchronicle.analytics.disable here: Main must set it itself, as the jar runs without it too.
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--data-dir", tmp.resolve("data").toString(), "--listen", "127.0.0.1:0", "--demo=2"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        StringBuilder log = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (Exception e) {
                port.completeExceptionally(e);
            }
        });
        reader.start();
        Set<String> bad = new TreeSet<>();
        int polls = 0;
        Set<String> seen = new HashSet<>();
        try {
            int serverPort = port.get(120, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newHttpClient();
            // The warm-up runs for a few seconds after start; watch through it and through our queries.
            long end = System.nanoTime() + 10_000_000_000L;
            int q = 0;
            // And past it until a few queries were made and watched: on a loaded machine ten
            // seconds may hold only a handful of polls.
            while ((System.nanoTime() < end || q < 3) && p.isAlive()) {
                polls++;
                for (String s : sockets(p.pid())) {
                    seen.add(s);
                    if (!allowed(s, serverPort)) {
                        bad.add(s);
                    }
                }
                if (polls % 10 == 1) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + serverPort
                            + "/api/v1/query?query=count(microsandbox_memory_usage_bytes)")).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode(), r.body());
                    q++;
                }
                Thread.sleep(5);
            }
            assertTrue(p.isAlive(), "serve exited: " + log);
            assertTrue(q > 0, "no query was made");
        } finally {
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
            reader.join(10_000);
        }
        System.out.println("socket watch: " + polls + " polls, " + seen.size() + " distinct sockets, " + bad.size() + " not allowed");
        assertTrue(bad.isEmpty(), "sockets other than loopback to our own port: " + bad + "\nlog:\n" + log);
        // The watch does see connections: our own keep-alive connection to the server, at least.
        assertTrue(seen.stream().anyMatch(x -> x.endsWith(" 01")), "no established connection was ever seen: " + seen);
    }

    /** "proto local remote state" of every socket the process holds, addresses as ip:port. */
    private static List<String> sockets(long pid) throws Exception {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (java.io.IOException e) {
                    // closed while we looked
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (String proto : List.of("tcp", "tcp6", "udp", "udp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", proto));
            } catch (java.io.IOException e) {
                continue;
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && inodes.contains(f[9])) {
                    out.add(proto + " " + addr(f[1]) + " " + addr(f[2]) + " " + f[3]);
                }
            }
        }
        return out;
    }

    /** /proc's hex address (little-endian words) as ip:port; IPv4-mapped IPv6 as IPv4. */
    private static String addr(String hex) {
        String[] ap = hex.split(":");
        int port = Integer.parseInt(ap[1], 16);
        String h = ap[0];
        byte[] b = new byte[h.length() / 2];
        for (int w = 0; w < b.length / 4; w++) {
            for (int i = 0; i < 4; i++) {
                b[w * 4 + i] = (byte) Integer.parseInt(h.substring(w * 8 + (3 - i) * 2, w * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        try {
            return java.net.InetAddress.getByAddress(b).getHostAddress() + ":" + port;
        } catch (java.net.UnknownHostException e) {
            return hex;
        }
    }

    /** Loopback only, and either our listener or a connection to or from our own port. */
    private static boolean allowed(String socket, int serverPort) {
        String[] f = socket.split(" ");
        if (f[0].startsWith("udp")) {
            return false;
        }
        String local = f[1];
        String remote = f[2];
        boolean listen = f[3].equals("0A");
        if (listen) {
            return local.equals("127.0.0.1:" + serverPort);
        }
        boolean loop = (remote.startsWith("127.") || remote.startsWith("0:0:0:0:0:0:0:1:")) && (local.startsWith("127.") || local.startsWith("0:0:0:0:0:0:0:1:"));
        return loop && (local.endsWith(":" + serverPort) || remote.endsWith(":" + serverPort));
    }
}
