package dev.sandglass.ingest.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.ingest.source.RealProcess;
import dev.sandglass.ingest.source.SourceHealth;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Series;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scrapes the real Debian prometheus-node-exporter and Prometheus 2.42's own /metrics. */
class RealExportersTest {
    @TempDir
    Path tmp;

    private List<Series> scrapeTwice(String url, String job) {
        try (Db db = Db.open(DbOptions.defaults(tmp.resolve("data-" + job)))) {
            ScrapeTarget t = ScrapeConfigs.fromFlag(url + ",interval=1s,job=" + job);
            ScrapeLoop l = new ScrapeLoop(t, new ScrapeClient("Sandglass-test"), db.appender(), new SourceHealth("scrape", url));
            l.scrapeOnce();
            l.scrapeOnce();
            assertTrue(l.health().up(), String.valueOf(l.health().lastError()));
            try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                return q.select(List.of(Matcher.eq("job", job)));
            }
        }
    }

    private static double lastOf(List<Series> all, String name) {
        Series s = all.stream().filter(x -> x.labels().metricName().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no " + name));
        return s.samples().value(s.samples().size() - 1);
    }

    private static void checkScrape(List<Series> all, String someMetric) {
        assertEquals(1.0, lastOf(all, "up"));
        long scraped = (long) lastOf(all, "scrape_samples_scraped");
        long data = all.stream().filter(s -> !s.labels().metricName().startsWith("scrape_") && !s.labels().metricName().equals("up")
                && !s.labels().metricName().startsWith("sandglass_")).count();
        assertTrue(scraped > 50, "scraped " + scraped);
        // Each sample of the last scrape is one series here (no duplicates, none lost); churn between
        // the two scrapes may add series that got a staleness marker, never remove any.
        assertTrue(data >= scraped, data + " series for " + scraped + " samples per scrape");
        assertTrue(all.stream().anyMatch(s -> s.labels().metricName().equals(someMetric)), someMetric);
        for (Series s : all) {
            assertTrue(s.labels().get("instance").startsWith("127.0.0.1:"), s.labels().toString());
        }
    }

    @Test
    void nodeExporter() throws Exception {
        try (RealProcess ne = RealProcess.start(tmp, "/usr/bin/prometheus-node-exporter", "--web.listen-address=127.0.0.1:{port}")) {
            List<Series> all = scrapeTwice(ne.url("/metrics"), "node");
            checkScrape(all, "node_cpu_seconds_total");
            Series cpu = all.stream().filter(s -> s.labels().metricName().equals("node_cpu_seconds_total")).findFirst().orElseThrow();
            assertTrue(cpu.labels().has("cpu") && cpu.labels().has("mode"), cpu.labels().toString());
            assertEquals(2, cpu.samples().size());
            assertTrue(cpu.samples().value(1) >= cpu.samples().value(0));
        }
    }

    @Test
    void prometheusOwnMetrics() throws Exception {
        Path cfg = tmp.resolve("prometheus.yml");
        Files.writeString(cfg, "global:\n  scrape_interval: 1h\n");
        try (RealProcess prom = RealProcess.start(tmp, "/usr/bin/prometheus", "--config.file=" + cfg,
                "--storage.tsdb.path=" + tmp.resolve("prom"), "--web.listen-address=127.0.0.1:{port}")) {
            List<Series> all = scrapeTwice(prom.url("/metrics"), "prometheus");
            checkScrape(all, "prometheus_build_info");
            Series info = all.stream().filter(s -> s.labels().metricName().equals("prometheus_build_info")).findFirst().orElseThrow();
            assertTrue(info.labels().get("version").startsWith("2.42"), info.labels().toString());
        }
    }
}
