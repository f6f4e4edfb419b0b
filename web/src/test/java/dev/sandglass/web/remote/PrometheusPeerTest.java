package dev.sandglass.web.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus 2.42 against a running Sandglass, all at once: it scrapes Sandglass's
 * /federate, reads Sandglass's history through remote_read, and remote-writes what it scraped
 * into Sandglass's /api/v1/write.
 */
class PrometheusPeerTest {
    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void prometheusFederatesReadsAndWritesThroughSandglass(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("sg"));
        Files.createDirectories(dir.resolve("prom"));
        long now = System.currentTimeMillis();
        long old = now - 3 * 3600_000L; // older than anything Prometheus's own TSDB will hold
        double oddValue = 0.1 + 0.2; // 0.30000000000000004: bits survive the protobuf round trip
        try (ProtocolServer sg = new ProtocolServer(dir.resolve("sg"), WriteOptions.defaults())) {
            Appender a = sg.db.appender();
            long fed = a.seriesRef(Labels.of("__name__", "fed_metric", "sandbox_name", "web-1", "job", "microsandbox"));
            a.append(fed, now - 2000, 1.234567e6);
            long hist = a.seriesRef(Labels.of("__name__", "old_metric", "sandbox_name", "web-1"));
            a.append(hist, old, oddValue);
            a.append(hist, old + 15_000, 7);
            a.commit();
            int port = PeerProcess.freePort();
            String config = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                    + "scrape_configs:\n  - job_name: federate\n    honor_labels: true\n    metrics_path: /federate\n"
                    + "    params:\n      'match[]': ['{__name__=~\"fed_.*\"}']\n"
                    + "    static_configs:\n      - targets: ['127.0.0.1:" + sg.server.port() + "']\n"
                    + "remote_read:\n  - url: " + sg.url("/api/v1/read") + "\n    read_recent: true\n"
                    + "remote_write:\n  - url: " + sg.url("/api/v1/write") + "\n    queue_config:\n      batch_send_deadline: 1s\n";
            Path cfg = dir.resolve("prometheus.yml");
            Files.writeString(cfg, config);
            try (PeerProcess prom = PeerProcess.start(List.of("/usr/bin/prometheus", "--config.file=" + cfg,
                    "--storage.tsdb.path=" + dir.resolve("prom"), "--web.listen-address=127.0.0.1:" + port), port, "/-/ready", dir)) {
                // Federation: Prometheus scraped the latest sample with its timestamp and labels.
                String fedAnswer = prom.await("/api/v1/query?query=" + enc("fed_metric"), b -> b.contains("fed_metric"), 20);
                assertTrue(fedAnswer.contains("\"job\":\"microsandbox\"") && fedAnswer.contains("\"sandbox_name\":\"web-1\""), fedAnswer);
                assertTrue(fedAnswer.contains(",\"1234567\"]"), fedAnswer);
                String ts = prom.await("/api/v1/query?query=" + enc("timestamp(fed_metric)"), b -> b.contains("\"value\""), 5);
                assertTrue(ts.contains(",\"" + PromTime.seconds(now - 2000) + "\"]"), "the sample's own timestamp: " + ts);
                // Remote read: a PromQL query on Prometheus returns Sandglass's old samples, exactly.
                String readAnswer = prom.await("/api/v1/query?query=" + enc("old_metric") + "&time=" + PromTime.seconds(old + 1000),
                        b -> b.contains("old_metric"), 10);
                assertTrue(readAnswer.contains(",\"0.30000000000000004\"]"), readAnswer);
                String range = prom.await("/api/v1/query?query=" + enc("count_over_time(old_metric[1m])") + "&time="
                        + PromTime.seconds(old + 30_000), b -> b.contains("\"value\""), 10);
                assertTrue(range.contains(",\"2\"]"), range);
                // Remote write: what Prometheus scraped arrives in Sandglass (its own up series).
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (sg.select(Matcher.eq("__name__", "up"), Matcher.eq("job", "federate")).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                var up = sg.select(Matcher.eq("__name__", "up"), Matcher.eq("job", "federate"));
                assertEquals(1, up.size(), "Prometheus remote-wrote its up series: " + prom.logTail());
                assertEquals(1.0, up.get(0).samples().value(0));
                assertTrue(sg.metrics.get(WriteMetrics.Kind.RW_SAMPLES) > 0);
                assertEquals(0, sg.metrics.get(WriteMetrics.Kind.RW_FAILED));
            }
        }
    }
}
