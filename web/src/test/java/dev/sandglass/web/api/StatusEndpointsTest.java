package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.mem.MemStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** rules, alerts, query_exemplars and status/tsdb with the bodies Prometheus 2.42 gives (asked over HTTP). */
class StatusEndpointsTest {
    static ApiServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        MemStorage store = new MemStorage();
        Appender a = store.appender();
        for (int i = 0; i < 3; i++) {
            a.append(a.seriesRef(Labels.of("__name__", "mem", "sandbox_name", "s" + i, "job", "microsandbox")), 1000, i);
        }
        a.append(a.seriesRef(Labels.of("__name__", "up", "job", "sandglass")), 1000, 1);
        a.commit();
        server = ApiServer.start("127.0.0.1", 0, new ApiHandlers(() -> store, new ApiServerTest.FakeEngine(),
                new ApiHandlers.Options(60_000, 2, "0", "x", "y"), List.of()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    @Test
    void emptySuccessesAsPrometheus() throws Exception {
        assertEquals("200 {\"status\":\"success\",\"data\":{\"groups\":[]}}", get("/api/v1/rules"));
        assertEquals("200 {\"status\":\"success\",\"data\":{\"groups\":[]}}", get("/api/v1/rules?type=alert"));
        assertEquals("400 {\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"type\\\": not supported value \\\"bogus\\\"\"}",
                get("/api/v1/rules?type=bogus"));
        assertEquals("200 {\"status\":\"success\",\"data\":{\"alerts\":[]}}", get("/api/v1/alerts"));
        assertEquals("200 {\"status\":\"success\",\"data\":[]}", get("/api/v1/query_exemplars?query=mem&start=0&end=10"));
        assertEquals("400 {\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:1: parse error: no expression found in input\"}",
                get("/api/v1/query_exemplars"));
    }

    @Test
    void tsdbStatusCountsWhatFillsTheIndex() throws Exception {
        assertEquals("200 {\"status\":\"success\",\"data\":{\"headStats\":{\"numSeries\":4,\"numLabelPairs\":7,\"chunkCount\":0},"
                + "\"seriesCountByMetricName\":[{\"name\":\"mem\",\"value\":3},{\"name\":\"up\",\"value\":1}],"
                + "\"labelValueCountByLabelName\":[{\"name\":\"sandbox_name\",\"value\":3},{\"name\":\"__name__\",\"value\":2},{\"name\":\"job\",\"value\":2}],"
                + "\"memoryInBytesByLabelName\":[{\"name\":\"job\",\"value\":21},{\"name\":\"sandbox_name\",\"value\":6},{\"name\":\"__name__\",\"value\":5}],"
                + "\"seriesCountByLabelValuePair\":[{\"name\":\"__name__=mem\",\"value\":3},{\"name\":\"job=microsandbox\",\"value\":3},"
                + "{\"name\":\"__name__=up\",\"value\":1},{\"name\":\"job=sandglass\",\"value\":1},{\"name\":\"sandbox_name=s0\",\"value\":1},"
                + "{\"name\":\"sandbox_name=s1\",\"value\":1},{\"name\":\"sandbox_name=s2\",\"value\":1}]}}", get("/api/v1/status/tsdb"));
    }
}
