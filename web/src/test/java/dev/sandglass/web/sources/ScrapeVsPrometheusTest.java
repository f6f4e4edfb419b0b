package dev.sandglass.web.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.ingest.scrape.ScrapeConfigs;
import dev.sandglass.ingest.scrape.ScrapeTarget;
import dev.sandglass.ingest.scrape.Scraper;
import dev.sandglass.ingest.source.RealProcess;
import dev.sandglass.ingest.source.SourceHealthSet;
import dev.sandglass.ingest.source.TestEndpoint;
import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.web.api.ApiHandlers;
import dev.sandglass.web.api.ApiServer;
import dev.sandglass.web.api.EngineQueryService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sandglass and a real Prometheus 2.42 scrape the same endpoints with the same configuration file
 * (Prometheus text and OpenMetrics, target labels, honor_labels, params, escapes, NaN and
 * infinities, histograms, summaries, an explicit timestamp), then both HTTP APIs are asked for
 * every series and its latest value: the answers must be the same, apart from
 * scrape_duration_seconds (a measurement) and Sandglass's own health series.
 */
class ScrapeVsPrometheusTest {
    @TempDir
    Path tmp;

    static final String TEXT = String.join("\n",
            "# HELP http_requests_total Requests.",
            "# TYPE http_requests_total counter",
            "http_requests_total{code=\"200\",method=\"get\"} 1027",
            "http_requests_total{method=\"post\",code=\"400\"} 3",
            "# TYPE temp gauge",
            "temp{room=\"a b\",note=\"quote \\\" backslash \\\\ newline \\n end\"} -4.5",
            "temp{room=\"c\"} NaN",
            "big 1.7976931348623157e308",
            "tiny 5e-324",
            "neg_inf -Inf",
            "job_clash{job=\"inner\",instance=\"elsewhere\"} 1",
            "# TYPE lat histogram",
            "lat_bucket{le=\"0.1\"} 1",
            "lat_bucket{le=\"1\"} 5",
            "lat_bucket{le=\"+Inf\"} 7",
            "lat_sum 3.25",
            "lat_count 7",
            "# TYPE rpc summary",
            "rpc{quantile=\"0.5\"} 0.05",
            "rpc_sum 1.5",
            "rpc_count 30",
            "empty_label{a=\"\",b=\"x\"} 2",
            "with_ts 42 TS",
            "");
    static final String OM = String.join("\n",
            "# TYPE om_events counter",
            "# HELP om_events Events.",
            "om_events_total 17 # {trace_id=\"abc\"} 1 1700000000.5",
            "om_events_created 1700000000.25",
            "# TYPE om info",
            "om_info{version=\"1.2\"} 1",
            "# TYPE om_state stateset",
            "om_state{om_state=\"a\"} 1",
            "om_state{om_state=\"b\"} 0",
            "# TYPE om_gauge gauge",
            "om_gauge 0.25",
            "# TYPE om_hist histogram",
            "om_hist_bucket{le=\"1.0\"} 2 # {trace_id=\"abc\"} 0.5 1700000000.1",
            "om_hist_bucket{le=\"+Inf\"} 3",
            "om_hist_sum 2.5",
            "om_hist_count 3",
            "om_hist_created 1700000000",
            "# TYPE om_unknown unknown",
            "om_unknown{x=\"y\"} -1e-9 1700000000.001",
            "# EOF",
            "");

    static final HttpClient HTTP = HttpClient.newHttpClient();

    static JsonObject get(String base, String path) throws Exception {
        return body(base, path).getJsonObject("data");
    }

    static JsonObject body(String base, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), base + path + ": " + r.body());
        return new JsonObject(r.body());
    }

    static java.util.Set<String> series(String base, String path) throws Exception {
        java.util.Set<String> out = new java.util.TreeSet<>();
        JsonArray a = body(base, path).getJsonArray("data");
        for (int i = 0; i < a.size(); i++) {
            out.add(new TreeMap<>(a.getJsonObject(i).getMap()).toString());
        }
        return out;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Every series' latest value at {@code t}, by label set, without the measured duration and Sandglass's own series. */
    static Map<String, String> latest(String base, long t) throws Exception {
        JsonArray result = get(base, "/api/v1/query?query=" + enc("{__name__=~\".+\"}") + "&time=" + t / 1000.0).getJsonArray("result");
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < result.size(); i++) {
            JsonObject s = result.getJsonObject(i);
            String name = s.getJsonObject("metric").getString("__name__");
            if (name.equals("scrape_duration_seconds") || name.startsWith("sandglass_")) {
                continue;
            }
            out.put(new TreeMap<>(s.getJsonObject("metric").getMap()).toString(), s.getJsonArray("value").getString(1));
        }
        return out;
    }

    static String diff(Map<String, String> prom, Map<String, String> sg) {
        StringBuilder sb = new StringBuilder();
        for (var e : prom.entrySet()) {
            if (!e.getValue().equals(sg.get(e.getKey()))) {
                sb.append("\nPrometheus ").append(e).append(" Sandglass ").append(sg.get(e.getKey()));
            }
        }
        for (var e : sg.entrySet()) {
            if (!prom.containsKey(e.getKey())) {
                sb.append("\nonly Sandglass ").append(e);
            }
        }
        return sb.toString();
    }

    static double scrapes(String base, String job) throws Exception {
        JsonArray r = get(base, "/api/v1/query?query=" + enc("count_over_time(up{job=\"" + job + "\"}[1m])")).getJsonArray("result");
        return r.isEmpty() ? 0 : Double.parseDouble(r.getJsonObject(0).getJsonArray("value").getString(1));
    }

    @Test
    void sameSeriesAndValuesAsPrometheus() throws Exception {
        long ts = System.currentTimeMillis() - 30_000;
        try (TestEndpoint text = new TestEndpoint("/text"); TestEndpoint om = new TestEndpoint("/om")) {
            text.serve("text/plain; version=0.0.4; charset=utf-8", TEXT.replace("TS", Long.toString(ts)));
            om.serve("application/openmetrics-text; version=1.0.0; charset=utf-8", OM);
            Path cfg = tmp.resolve("prometheus.yml");
            Files.writeString(cfg, String.join("\n",
                    "global:",
                    "  scrape_interval: 1s",
                    "  scrape_timeout: 1s",
                    "scrape_configs:",
                    "  - job_name: static-text",
                    "    metrics_path: /text",
                    "    static_configs:",
                    "      - targets: ['127.0.0.1:" + text.port() + "']",
                    "        labels: {team: storage}",
                    "  - job_name: static-om",
                    "    metrics_path: /om",
                    "    params: {format: [om]}",
                    "    static_configs:",
                    "      - targets: ['127.0.0.1:" + om.port() + "']",
                    "  - job_name: honor",
                    "    honor_labels: true",
                    "    metrics_path: /text",
                    "    static_configs:",
                    "      - targets: ['localhost:" + text.port() + "']",
                    ""));
            List<ScrapeTarget> targets = ScrapeConfigs.load(cfg, msg -> { });
            assertEquals(3, targets.size());
            try (RealProcess prom = RealProcess.start(tmp, "/usr/bin/prometheus", "--config.file=" + cfg,
                    "--storage.tsdb.path=" + tmp.resolve("prom"), "--web.listen-address=127.0.0.1:{port}");
                 Db db = Db.open(DbOptions.defaults(tmp.resolve("sg")))) {
                ApiHandlers h = new ApiHandlers(() -> db, new EngineQueryService(new EngineOptions(300_000, 60_000, 1_000_000, 60_000)),
                        new ApiHandlers.Options(60_000, 2, "0.1.0", "x", "y"), List.of());
                try (Scraper scraper = new Scraper(targets, db, new SourceHealthSet(), "Sandglass/test");
                     ApiServer sg = ApiServer.start("127.0.0.1", 0, h)) {
                    scraper.start();
                    String promUrl = prom.url("");
                    String sgUrl = "http://127.0.0.1:" + sg.port();
                    long deadline = System.currentTimeMillis() + 60_000;
                    while (System.currentTimeMillis() < deadline) {
                        boolean enough = true;
                        for (String job : List.of("static-text", "static-om", "honor")) {
                            enough &= scrapes(promUrl, job) >= 3 && scrapes(sgUrl, job) >= 3;
                        }
                        if (enough) {
                            break;
                        }
                        Thread.sleep(250);
                    }
                    long t = System.currentTimeMillis();
                    Map<String, String> fromProm = latest(promUrl, t);
                    Map<String, String> fromSg = latest(sgUrl, t);
                    assertTrue(fromProm.size() > 40, "Prometheus stored " + fromProm);
                    StringBuilder errors = new StringBuilder();
                    scraper.loops().forEach(l -> errors.append("\n").append(l.target().display()).append(": ").append(l.health().lastError()));
                    assertEquals(fromProm, fromSg, diff(fromProm, fromSg) + errors);

                    String seriesQuery = "/api/v1/series?match[]=" + enc("{__name__=~\".+\",__name__!~\"sandglass_.*\"}");
                    java.util.Set<String> ps = series(promUrl, seriesQuery);
                    java.util.Set<String> ss = series(sgUrl, seriesQuery);
                    java.util.Set<String> onlyP = new java.util.TreeSet<>(ps);
                    onlyP.removeAll(ss);
                    java.util.Set<String> onlyS = new java.util.TreeSet<>(ss);
                    onlyS.removeAll(ps);
                    assertEquals(ps, ss, "only Prometheus " + onlyP + "; only Sandglass " + onlyS);
                }
                // Content negotiation: the very Accept header Prometheus 2.42 sent.
                String promAccept = null;
                String sgAccept = null;
                for (var req : text.requests) {
                    String ua = req.getFirst("User-Agent");
                    if (ua.startsWith("Prometheus/2.42")) {
                        promAccept = req.getFirst("Accept");
                    } else if (ua.startsWith("Sandglass")) {
                        sgAccept = req.getFirst("Accept");
                    }
                }
                assertEquals(promAccept, sgAccept);
            }
        }
    }
}
