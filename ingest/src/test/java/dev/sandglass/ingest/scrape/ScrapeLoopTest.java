package dev.sandglass.ingest.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.ingest.source.SourceHealth;
import dev.sandglass.ingest.source.TestEndpoint;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scrape loop against a real HTTP endpoint whose body changes between scrapes, into the real store. */
class ScrapeLoopTest {
    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    @TempDir
    Path tmp;
    Db db;
    TestEndpoint ep;

    @BeforeEach
    void open() throws Exception {
        db = Db.open(DbOptions.defaults(tmp.resolve("data")));
        ep = new TestEndpoint("/metrics");
    }

    @AfterEach
    void close() {
        ep.close();
        db.close();
    }

    private ScrapeLoop loop(String flag) {
        ScrapeTarget t = ScrapeConfigs.fromFlag(flag);
        return new ScrapeLoop(t, new ScrapeClient("Sandglass-test"), db.appender(), new SourceHealth("scrape", t.display()));
    }

    private Series one(String metric, String... more) {
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Matcher> ms = new java.util.ArrayList<>(List.of(Matcher.eq("__name__", metric)));
            for (int i = 0; i < more.length; i += 2) {
                ms.add(Matcher.eq(more[i], more[i + 1]));
            }
            List<Series> s = q.select(ms);
            assertEquals(1, s.size(), metric + " " + s);
            return Series.of(s.get(0).labels(), s.get(0).samples());
        }
    }

    private static double last(Series s) {
        Samples x = s.samples();
        return x.value(x.size() - 1);
    }

    @Test
    void targetLabelsReportSeriesAndStalenessOfAVanishedSeries() {
        ep.serve(TEXT, "# TYPE a counter\na{x=\"1\"} 5\nb{job=\"inner\",instance=\"i\"} 7\n");
        ScrapeLoop l = loop(ep.url("/metrics") + ",interval=1s,job=node");
        l.scrapeOnce();
        ep.serve(TEXT, "a{x=\"1\"} 6\n");
        l.scrapeOnce();

        String inst = "127.0.0.1:" + ep.port();
        Series a = one("a", "job", "node", "instance", inst, "x", "1");
        assertEquals(2, a.samples().size());
        assertEquals(6.0, last(a));
        long t0 = a.samples().timestamp(0);
        long t1 = a.samples().timestamp(1);
        // Scraped job/instance are kept as exported_*; the target's win (honor_labels false).
        Series b = one("b", "exported_job", "inner", "exported_instance", "i");
        assertEquals("node", b.labels().get("job"));
        assertEquals(inst, b.labels().get("instance"));
        assertEquals(2, b.samples().size(), "a value and then its staleness marker");
        assertEquals(7.0, b.samples().value(0));
        assertTrue(Values.isStaleNaN(b.samples().value(1)));
        assertEquals(t1, b.samples().timestamp(1), "the marker gets the scrape's timestamp");

        assertEquals(1.0, last(one("up", "job", "node")));
        assertEquals(1.0, last(one("scrape_samples_scraped", "job", "node")));
        assertEquals(2.0, one("scrape_samples_scraped", "job", "node").samples().value(0));
        assertEquals(2.0, one("scrape_series_added", "job", "node").samples().value(0));
        assertEquals(0.0, last(one("scrape_series_added", "job", "node")));
        assertEquals(1.0, last(one("scrape_samples_post_metric_relabeling", "job", "node")));
        assertEquals(t1, one("up").samples().timestamp(1));
        assertTrue(t1 > t0);
        assertEquals(ScrapeLoop.ACCEPT, ep.requests.get(0).getFirst("Accept"));
        assertEquals("gzip", ep.requests.get(0).getFirst("Accept-Encoding"));
        assertEquals("1", ep.requests.get(0).getFirst("X-Prometheus-Scrape-Timeout-Seconds"));
    }

    @Test
    void aFailedScrapeMarksEverySeriesStaleAndSaysUpZeroThenRecovers() {
        ep.serve(TEXT, "a 1\nb 2\n");
        ScrapeLoop l = loop(ep.url("/metrics"));
        l.scrapeOnce();
        ep.status(500);
        l.scrapeOnce();
        assertFalse(l.health().up());
        assertEquals(1, l.health().failures("http_status"));
        assertTrue(l.health().lastError().contains("HTTP status 500"), l.health().lastError());
        ep.serve(TEXT, "this is { not metrics\n");
        l.scrapeOnce();
        assertEquals(1, l.health().failures("parse"));
        assertTrue(l.health().lastError().contains("line 1"), l.health().lastError());
        ep.serve(TEXT, "a 3\n");
        l.scrapeOnce();
        assertTrue(l.health().up());

        Samples a = one("a").samples();
        assertEquals(3, a.size());
        assertEquals(1.0, a.value(0));
        assertTrue(Values.isStaleNaN(a.value(1)));
        assertEquals(3.0, a.value(2));
        Samples up = one("up").samples();
        assertEquals(List.of(1.0, 0.0, 0.0, 1.0), List.of(up.value(0), up.value(1), up.value(2), up.value(3)));
        Samples bs = one("b").samples();
        assertEquals(2, bs.size(), "stale once, not again on the next failure");
        // Health is stored too.
        assertEquals(1.0, last(one("sandglass_source_up", "source", "scrape")));
        assertEquals(1.0, last(one("sandglass_source_failures_total", "reason", "parse")));
    }

    @Test
    void openMetricsTimestampsAreSecondsAndExplicitTimestampsAreKeptWithoutStaleness() {
        long sec = System.currentTimeMillis() / 1000 - 10;
        ep.serve("application/openmetrics-text; version=1.0.0; charset=utf-8",
                "# TYPE c counter\nc_total 4 " + sec + ".5 # {trace_id=\"x\"} 1 1700000000.1\ng 2\n"
                + "too_old 1 " + (sec - 7200) + "\n# EOF\n");
        ScrapeLoop l = loop(ep.url("/metrics"));
        l.scrapeOnce();
        ep.serve("application/openmetrics-text; version=1.0.0; charset=utf-8", "# EOF\n");
        l.scrapeOnce();
        Samples c = one("c_total").samples();
        assertEquals(1, c.size(), "an explicitly timestamped series gets no staleness marker");
        assertEquals(sec * 1000 + 500, c.timestamp(0));
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            assertTrue(q.select(List.of(Matcher.eq("__name__", "too_old"))).isEmpty(), "out of bounds, as in Prometheus: not even a series");
        }
        assertEquals(3.0, one("scrape_samples_scraped").samples().value(0), "still counted as scraped");
        Samples g = one("g").samples();
        assertEquals(2, g.size());
        assertTrue(Values.isStaleNaN(g.value(1)));
        ep.serve("application/openmetrics-text; version=1.0.0", "g 1\n");
        l.scrapeOnce();
        assertTrue(l.health().lastError().contains("# EOF"), l.health().lastError());
    }

    @Test
    void stoppingEndsEverySeriesWithAStalenessMarker() {
        ep.serve(TEXT, "a 1\n");
        ScrapeLoop l = loop(ep.url("/metrics"));
        l.scrapeOnce();
        l.stop();
        assertTrue(Values.isStaleNaN(last(one("a"))));
        assertTrue(Values.isStaleNaN(last(one("up"))));
        l.scrapeOnce();
        assertEquals(2, one("a").samples().size(), "a stopped loop scrapes no more");
    }

    @Test
    void scrapeTimestampsAlignToTheIntervalWithinTwoMilliseconds() {
        ScrapeLoop l = loop(ep.url("/metrics") + ",interval=15s");
        assertEquals(1_000_000L, l.scrapeTime(1_000_000L));
        assertEquals(1_015_000L, l.scrapeTime(1_015_002L));
        assertEquals(1_030_003L, l.scrapeTime(1_030_003L));
        assertEquals(1_060_000L, l.scrapeTime(1_060_001L), "a skipped tick is stepped over");
    }

    @Test
    void theTimeoutBoundsTheBodyTooAndGzipIsInflated() throws Exception {
        com.sun.net.httpserver.HttpServer srv = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        srv.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        srv.createContext("/slow", ex -> {
            ex.getResponseHeaders().set("Content-Type", TEXT);
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write("a 1\n".getBytes());
            ex.getResponseBody().flush();
            try {
                Thread.sleep(4000); // headers and part of the body, then nothing for longer than the timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        srv.createContext("/gz", ex -> {
            java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream g = new java.util.zip.GZIPOutputStream(z)) {
                g.write("zipped 7\n".getBytes());
            }
            ex.getResponseHeaders().set("Content-Type", TEXT);
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
            ex.sendResponseHeaders(200, z.size());
            ex.getResponseBody().write(z.toByteArray());
            ex.close();
        });
        srv.start();
        try {
            String base = "http://127.0.0.1:" + srv.getAddress().getPort();
            ScrapeLoop slow = loop(base + "/slow,interval=1s");
            long t0 = System.nanoTime();
            slow.scrapeOnce();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(1, slow.health().failures("timeout"), String.valueOf(slow.health().lastError()));
            assertTrue(ms < 3500, "gave up after " + ms + " ms, the timeout is 1 s");
            ScrapeLoop gz = loop(base + "/gz,job=gz");
            gz.scrapeOnce();
            assertTrue(gz.health().up(), String.valueOf(gz.health().lastError()));
            assertEquals(7.0, last(one("zipped")));
        } finally {
            srv.stop(0);
        }
    }

    @Test
    void aConnectionRefusedSaysWhatToCheck() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ScrapeLoop l = loop("http://127.0.0.1:" + port + "/metrics");
        l.scrapeOnce();
        assertEquals(1, l.health().failures("connect"));
        assertTrue(l.health().lastError().contains("is the exporter running"), l.health().lastError());
        assertEquals(0.0, last(one("up")));
    }
}
