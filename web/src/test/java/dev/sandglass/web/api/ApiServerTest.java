package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.engine.PromQLException;
import dev.sandglass.query.engine.QueryResult;
import dev.sandglass.query.parser.Parser;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.mem.MemStorage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API over a real HTTP server on loopback, with a fake engine so shapes and errors are tested alone. */
class ApiServerTest {
    static MemStorage store;
    static ApiServer server;
    static HttpClient http = HttpClient.newHttpClient();

    /** Answers with fixed values; parses for real so parse errors come out as the engine's would. */
    static final class FakeEngine implements QueryService {
        @Override
        public QueryResult instant(Queryable s, String q, long t, long timeout, BooleanSupplier c) {
            Parser.parse(q);
            if (q.equals("fail_exec")) {
                throw new PromQLException.EvalException("found duplicate series for the match group");
            }
            if (q.equals("1")) {
                return new QueryResult.ScalarResult(t, 1);
            }
            return new QueryResult.VectorResult(List.of(new QueryResult.Sample(Labels.of("__name__", "up", "job", "a\"b"), t, Double.NaN)));
        }

        @Override
        public QueryResult range(Queryable s, String q, long start, long end, long step, long timeout, BooleanSupplier c) {
            Parser.parse(q);
            return new QueryResult.MatrixResult(List.of(new QueryResult.MatrixSeries(Labels.of("job", "x"),
                    new long[] {start, start + step}, new double[] {1.5, Double.POSITIVE_INFINITY}, 2)));
        }
    }

    @BeforeAll
    static void start() {
        store = new MemStorage();
        Appender a = store.appender();
        long up = a.seriesRef(Labels.of("__name__", "up", "job", "api", "instance", "h1"));
        long mem = a.seriesRef(Labels.of("__name__", "microsandbox_memory_usage_bytes", "sandbox_name", "s1"));
        a.append(up, 1000, 1);
        a.append(mem, 2000, 5);
        a.commit();
        ApiHandlers h = new ApiHandlers(() -> store, new FakeEngine(),
                new ApiHandlers.Options(60_000, 2, "0.1.0", "abc", "2026-11-23"), List.of(out -> out.append("x_total 1\n")));
        server = ApiServer.start("127.0.0.1", 0, h);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void instantVectorShape() throws Exception {
        var r = get("/api/v1/query?query=up&time=1435781451.781");
        assertEquals(200, r.statusCode());
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"__name__\":\"up\",\"job\":\"a\\\"b\"},"
                + "\"value\":[1435781451.781,\"NaN\"]}]}}", r.body());
    }

    @Test
    void scalarWithRfc3339Time() throws Exception {
        var r = get("/api/v1/query?query=1&time=2015-07-01T20:10:51.781Z");
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1435781451.781,\"1\"]}}", r.body());
    }

    @Test
    void rangeShapeAndFormPost() throws Exception {
        String form = "query=" + enc("rate(x[5m])") + "&start=10&end=20&step=5s";
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/query_range"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"job\":\"x\"},"
                + "\"values\":[[10,\"1.5\"],[15,\"+Inf\"]]}]}}", r.body());
    }

    @Test
    void errorsMapToPrometheusTypesAndStatus() throws Exception {
        var bad = get("/api/v1/query?query=" + enc("sum(") );
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unexpected end of input"), bad.body());
        var badTime = get("/api/v1/query?query=up&time=yesterday");
        assertEquals(400, badTime.statusCode());
        assertTrue(badTime.body().contains("invalid parameter \\\"time\\\": cannot parse \\\"yesterday\\\" to a valid timestamp"), badTime.body());
        var exec = get("/api/v1/query?query=fail_exec");
        assertEquals(422, exec.statusCode());
        assertTrue(exec.body().contains("\"errorType\":\"execution\""));
        var step = get("/api/v1/query_range?query=up&start=1&end=2&step=0");
        assertEquals(400, step.statusCode());
        assertTrue(step.body().contains("zero or negative query resolution step widths are not accepted"), step.body());
        var order = get("/api/v1/query_range?query=up&start=10&end=2&step=1");
        assertTrue(order.body().contains("end timestamp must not be before start time"), order.body());
        var points = get("/api/v1/query_range?query=up&start=0&end=100000&step=1");
        assertTrue(points.body().contains("exceeded maximum resolution of 11,000 points per timeseries"), points.body());
        var noMatch = get("/api/v1/series");
        assertEquals(400, noMatch.statusCode());
        assertTrue(noMatch.body().contains("no match[] parameter provided"));
        assertEquals(404, get("/api/v1/nope").statusCode());
        assertEquals(404, get("/nope").statusCode());
    }

    @Test
    void seriesLabelsAndValues() throws Exception {
        var s = get("/api/v1/series?match[]=" + enc("{job=\"api\"}"));
        assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"up\",\"instance\":\"h1\",\"job\":\"api\"}]}", s.body());
        var l = get("/api/v1/labels");
        assertEquals("{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\",\"sandbox_name\"]}", l.body());
        var v = get("/api/v1/label/__name__/values");
        assertEquals("{\"status\":\"success\",\"data\":[\"microsandbox_memory_usage_bytes\",\"up\"]}", v.body());
        var vm = get("/api/v1/label/job/values?match[]=up&start=0&end=10");
        assertEquals("{\"status\":\"success\",\"data\":[\"api\"]}", vm.body());
        assertEquals(400, get("/api/v1/label/bad-name/values").statusCode());
    }

    @Test
    void metadataBuildInfoHealthAndMetrics() throws Exception {
        var m = get("/api/v1/metadata?metric=microsandbox_memory_usage_bytes");
        assertEquals("{\"status\":\"success\",\"data\":{\"microsandbox_memory_usage_bytes\":[{\"type\":\"gauge\",\"help\":\"Guest memory in use\",\"unit\":\"bytes\"}]}}", m.body());
        assertTrue(get("/api/v1/status/buildinfo").body().contains("\"version\":\"0.1.0\""));
        assertEquals(200, get("/-/healthy").statusCode());
        assertEquals(200, get("/-/ready").statusCode());
        var metrics = get("/metrics").body();
        assertTrue(metrics.contains("x_total 1\n"));
        assertTrue(metrics.contains("process_resident_memory_bytes "));
    }
}
