package dev.sandglass.web.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender against real receivers, Prometheus 2.42 and VictoriaMetrics 1.79: samples written
 * before, during and after the receiver is stopped (and across a restart of Sandglass itself)
 * all arrive, each timestamp once, with its value.
 */
class RemoteWriteSenderTest {
    static final int SERIES = 8;
    static final int ROUNDS = 12;

    /** A receiver that can be started again on the same port and data dir. */
    interface Receiver {
        PeerProcess start() throws Exception;

        /** Series name (sandbox label) -> timestamp -> value, as the receiver holds them. */
        Map<String, TreeMap<Long, Double>> read(PeerProcess p, long from, long to) throws Exception;
    }

    static Receiver prometheus(Path dir, int port) {
        return new Receiver() {
            @Override
            public PeerProcess start() throws Exception {
                Path cfg = dir.resolve("prometheus.yml");
                Files.writeString(cfg, "global:\n  scrape_interval: 1m\n");
                return PeerProcess.start(List.of("/usr/bin/prometheus", "--config.file=" + cfg, "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.enable-remote-write-receiver", "--web.listen-address=127.0.0.1:" + port), port, "/-/ready", dir);
            }

            @Override
            public Map<String, TreeMap<Long, Double>> read(PeerProcess p, long from, long to) throws Exception {
                String q = URLEncoder.encode("sender_test[" + ((to - from) / 1000 + 60) + "s]", StandardCharsets.UTF_8);
                return parse(p.get("/api/v1/query?query=" + q + "&time=" + (to / 1000 + 1)).body(), true);
            }
        };
    }

    static Receiver victoriaMetrics(Path dir, int port) {
        return new Receiver() {
            @Override
            public PeerProcess start() throws Exception {
                return PeerProcess.start(List.of("/usr/bin/victoria-metrics", "-storageDataPath=" + dir.resolve("data"),
                        "-httpListenAddr=127.0.0.1:" + port, "-retentionPeriod=1y"), port, "/health", dir);
            }

            @Override
            public Map<String, TreeMap<Long, Double>> read(PeerProcess p, long from, long to) throws Exception {
                String m = URLEncoder.encode("{__name__=\"sender_test\"}", StandardCharsets.UTF_8);
                return parse(p.get("/api/v1/export?match[]=" + m + "&start=" + (from / 1000 - 1) + "&end=" + (to / 1000 + 1)).body(), false);
            }
        };
    }

    static final Pattern SERIES_RE = Pattern.compile("\"sandbox_name\":\"(s\\d+)\"");

    /** Prometheus's matrix JSON or VictoriaMetrics' export lines, by sandbox name. */
    static Map<String, TreeMap<Long, Double>> parse(String body, boolean promMatrix) {
        Map<String, TreeMap<Long, Double>> out = new TreeMap<>();
        String[] chunks = promMatrix ? body.split("\\{\"metric\":") : body.split("\n");
        for (String c : chunks) {
            Matcher m = SERIES_RE.matcher(c);
            if (!m.find()) {
                continue;
            }
            TreeMap<Long, Double> samples = out.computeIfAbsent(m.group(1), k -> new TreeMap<>());
            if (promMatrix) {
                Matcher v = Pattern.compile("\\[([0-9.]+),\"([^\"]+)\"\\]").matcher(c);
                while (v.find()) {
                    samples.put(Math.round(Double.parseDouble(v.group(1)) * 1000), Double.parseDouble(v.group(2)));
                }
            } else {
                String vals = c.substring(c.indexOf("\"values\":[") + 10, c.indexOf(']', c.indexOf("\"values\":[")));
                String tss = c.substring(c.indexOf("\"timestamps\":[") + 14, c.indexOf(']', c.indexOf("\"timestamps\":[")));
                String[] vs = vals.split(",");
                String[] ts = tss.split(",");
                for (int i = 0; i < ts.length; i++) {
                    Double prev = samples.put(Long.parseLong(ts[i]), Double.parseDouble(vs[i]));
                    assertTrue(prev == null || prev == Double.parseDouble(vs[i]), "one value per timestamp");
                }
            }
        }
        return out;
    }

    static void await(String what, BooleanSupplier ok, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static void writeRounds(Db db, long t0, int fromRound, int toRound, TreeMap<String, TreeMap<Long, Double>> want) {
        Appender a = db.appender();
        for (int r = fromRound; r < toRound; r++) {
            for (int s = 0; s < SERIES; s++) {
                long ref = a.seriesRef(Labels.of("__name__", "sender_test", "sandbox_name", "s" + s, "job", "microsandbox"));
                long t = t0 + r * 1000L;
                double v = r * 100 + s + 0.25;
                a.append(ref, t, v);
                want.computeIfAbsent("s" + s, k -> new TreeMap<>()).put(t, v);
            }
            a.commit();
        }
    }

    static void everySampleArrivesOnce(Path tmp, Receiver receiver, int port) throws Exception {
        Path sg = tmp.resolve("sg");
        Path state = sg.resolve("remote-write");
        RemoteWriteTarget target = new RemoteWriteTarget(URI.create("http://127.0.0.1:" + port + "/api/v1/write"), null, null, null,
                Map.of("X-Test", "1"), 20, 200, 100);
        long t0 = (System.currentTimeMillis() - 120_000L) / 1000 * 1000;
        TreeMap<String, TreeMap<Long, Double>> want = new TreeMap<>();
        PeerProcess peer = receiver.start();
        try {
            Db db = Db.open(DbOptions.defaults(sg));
            SenderMetrics metrics = new SenderMetrics(target.url().toString());
            RemoteWriteSender sender = new RemoteWriteSender(db, target, state, metrics);
            writeRounds(db, t0, 0, 4, want);
            await("first rounds sent", () -> metrics.sent() == 4 * SERIES, 20);

            peer.close(); // the receiver goes away
            writeRounds(db, t0, 4, 8, want);
            await("retries while the receiver is down", () -> metrics.retried() > 0, 20);
            // Sandglass restarts too while the receiver is down: the position and the WAL are kept.
            sender.close();
            db.seal();
            db.close();
            db = Db.open(DbOptions.defaults(sg));
            SenderMetrics metrics2 = new SenderMetrics(target.url().toString());
            sender = new RemoteWriteSender(db, target, state, metrics2);
            writeRounds(db, t0, 8, ROUNDS, want);

            peer = receiver.start(); // and comes back
            await("everything sent after the outage", () -> metrics2.sent() >= (ROUNDS - 4) * SERIES, 30);
            assertEquals(0, metrics.failed() + metrics2.failed());
            PeerProcess p = peer;
            long to = t0 + ROUNDS * 1000L;
            Map<String, TreeMap<Long, Double>>[] got = new Map[1];
            await("receiver to show every sample", () -> {
                try {
                    got[0] = receiver.read(p, t0, to);
                    return got[0].equals(want);
                } catch (Exception e) {
                    return false;
                }
            }, 30);
            assertEquals(want, got[0]);
            assertEquals((ROUNDS - 4) * SERIES, metrics2.sent(), "resumed at the saved position: nothing sent twice, nothing skipped");
            sender.close();
            db.close();
        } finally {
            peer.close();
        }
    }

    @Test
    void prometheusReceivesEverySampleOnceAcrossItsOutageAndOurRestart(@TempDir Path tmp) throws Exception {
        int port = PeerProcess.freePort();
        Files.createDirectories(tmp.resolve("prom"));
        everySampleArrivesOnce(tmp, prometheus(tmp.resolve("prom"), port), port);
    }

    @Test
    void victoriaMetricsReceivesEverySampleOnceAcrossItsOutageAndOurRestart(@TempDir Path tmp) throws Exception {
        int port = PeerProcess.freePort();
        Files.createDirectories(tmp.resolve("vm"));
        everySampleArrivesOnce(tmp, victoriaMetrics(tmp.resolve("vm"), port), port);
    }
}
