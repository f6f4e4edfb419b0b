package dev.sandglass.web.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.engine.QueryResult;
import dev.sandglass.query.parser.Parser;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.mem.MemStorage;
import dev.sandglass.web.api.ApiHandlers;
import dev.sandglass.web.api.ApiServer;
import dev.sandglass.web.api.QueryService;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP layer's limits, methods and timeouts, over a real server on loopback (ephemeral port). */
class HttpHardeningTest {
    static final CountDownLatch RELEASE = new CountDownLatch(1);
    static final CountDownLatch BLOCKED = new CountDownLatch(1);
    static ApiServer server;
    /**
     * The same with a read timeout of 500 ms, for the test of that timeout alone. The others got it
     * too and failed under load: a POST of 10 MiB did not arrive within 500 ms of the previous
     * response on the client's kept-alive connection (or met that connection being closed for
     * idleness), and the server closed it unanswered ("header parser received no bytes").
     */
    static ApiServer impatient;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Parses for real; "block" holds its query slot until the test releases it. */
    static final class Engine implements QueryService {
        @Override
        public QueryResult instant(Queryable s, String q, long t, long timeoutMs, BooleanSupplier canceled) {
            Parser.parse(q);
            if (q.equals("block")) {
                BLOCKED.countDown();
                try {
                    RELEASE.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new QueryResult.ScalarResult(t, q.length());
        }

        @Override
        public QueryResult range(Queryable s, String q, long start, long end, long step, long timeoutMs, BooleanSupplier canceled) {
            Parser.parse(q);
            return new QueryResult.MatrixResult(List.of());
        }
    }

    @BeforeAll
    static void start() {
        server = ApiServer.start("127.0.0.1", 0, handlers(), HttpLimits.defaults());
        impatient = ApiServer.start("127.0.0.1", 0, handlers(), HttpLimits.defaults().withReadTimeoutMs(500));
    }

    private static ApiHandlers handlers() {
        return new ApiHandlers(MemStorage::new, new Engine(), new ApiHandlers.Options(60_000, 1, "0", "x", "y"), List.of());
    }

    @AfterAll
    static void stop() {
        RELEASE.countDown();
        server.close();
        impatient.close();
    }

    static HttpResponse<String> send(String method, String pathAndQuery, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery));
        if (form != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded");
        }
        b.method(method, form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A valid query of about {@code bytes} characters (a long string literal). */
    static String longQuery(int bytes) {
        return "label_replace(vector(1), \"x\", \"" + "a".repeat(bytes) + "\", \"\", \"\")";
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void longQueriesAreAcceptedAsPrometheusAcceptsThem() throws Exception {
        // Refused before by Vert.x's defaults: 4 KB request line, 8 KB form attribute.
        String q = longQuery(40_000);
        HttpResponse<String> get = send("GET", "/api/v1/query?time=1&query=" + enc(q), null);
        assertEquals(200, get.statusCode(), get.body());
        assertTrue(get.body().contains("\"" + q.length() + "\""), get.body());
        String big = longQuery(100_000);
        HttpResponse<String> post = send("POST", "/api/v1/query", "time=1&query=" + enc(big));
        assertEquals(200, post.statusCode(), post.body());
        assertTrue(post.body().contains("\"" + big.length() + "\""), post.body());
    }

    @Test
    void pastTheLimitsTheAnswerSaysWhy() throws Exception {
        String line = raw("GET /api/v1/query?query=" + "1".repeat(HttpLimits.MIB + 10) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(line.matches("(?s)HTTP/1.. 414 .*"), line);
        assertTrue(line.endsWith("\r\n\r\nrequest line (method, path and query string) longer than 1048576 bytes: send a long query as a form-encoded POST\n"), line);
        String headers = raw("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(HttpLimits.MIB + 10) + "\r\n\r\n");
        assertTrue(headers.matches("(?s)HTTP/1.. 431 .*"), headers);
        assertTrue(headers.contains("request headers larger than 1048576 bytes"), headers);
        HttpResponse<String> body = send("POST", "/api/v1/query", "query=" + "1".repeat(10 * HttpLimits.MIB + 10));
        assertEquals(413, body.statusCode(), body.body());
        assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"request body larger than 10485760 bytes\"}", body.body());
    }

    @Test
    void wrongMethodsGet405WithAllow() throws Exception {
        for (String method : List.of("PUT", "DELETE", "PATCH")) {
            for (String path : List.of("/api/v1/query", "/api/v1/query_range", "/api/v1/series", "/metrics", "/-/healthy", "/-/ready")) {
                HttpResponse<String> r = send(method, path, null);
                assertEquals(405, r.statusCode(), method + " " + path);
                assertEquals("Method Not Allowed\n", r.body());
                assertTrue(r.headers().firstValue("Allow").orElse("").contains("GET"), method + " " + path);
            }
        }
        assertEquals("GET, POST, OPTIONS", send("OPTIONS", "/api/v1/query", null).headers().firstValue("Allow").orElseThrow());
        assertEquals(404, send("PUT", "/api/v1/nope", null).statusCode());
        assertEquals(200, send("GET", "/-/healthy", null).statusCode());
        assertEquals(200, send("HEAD", "/-/ready", null).statusCode());
    }

    @Test
    void aHalfSentRequestIsClosedAfterTheReadTimeout() throws Exception {
        try (Socket s = new Socket("127.0.0.1", impatient.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /api/v1/query?query=1 HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Without a read timeout the server waits for the rest forever and this read times out.
            assertEquals(-1, s.getInputStream().read(), "the server closes the connection");
        }
        try (Socket s = new Socket("127.0.0.1", impatient.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write("POST /api/v1/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nquery=1"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals(-1, s.getInputStream().read(), "a body that never ends is not waited for forever either");
        }
    }

    @Test
    void theRequestTimeoutBoundsTheWaitForAQuerySlot() throws Exception {
        CompletableFuture<HttpResponse<String>> holder = CompletableFuture.supplyAsync(() -> {
            try {
                return send("GET", "/api/v1/query?time=1&query=block", null);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        try {
            assertTrue(BLOCKED.await(20, TimeUnit.SECONDS));
            // The one slot is held; before, this waited for the server's 60 s timeout, not its own 200 ms.
            HttpResponse<String> r = send("GET", "/api/v1/query?time=1&query=1&timeout=200ms", null);
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.body().startsWith("{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in query queue"), r.body());
            assertFalse(holder.isDone(), "answered while the slot was still held");
        } finally {
            RELEASE.countDown();
        }
        assertEquals(200, holder.get(20, TimeUnit.SECONDS).statusCode());
        HttpResponse<String> zero = send("GET", "/api/v1/query?time=1&query=1&timeout=0", null);
        assertEquals(503, zero.statusCode(), "Prometheus times out at once on timeout=0");
    }

    @Test
    void extremeTimesAreRefusedWithValidJson() throws Exception {
        for (String q : List.of("/api/v1/query?query=time()&time=-9223372036854775.808", "/api/v1/query?query=time()&time=9e15",
                "/api/v1/query_range?query=time()&start=-9223372036854775&end=9223372036854775&step=1e9",
                "/api/v1/query_range?query=time()&start=-9223372036.854&end=9223372036.854&step=1500000")) {
            HttpResponse<String> r = send("GET", q, null);
            assertEquals(400, r.statusCode(), q + ": " + r.body());
            assertTrue(r.body().startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\""), r.body());
            try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(r.body())) {
                while (p.nextToken() != null) {
                    // valid JSON to the end, or the parser throws
                }
            }
        }
    }

    /** Sends raw bytes, returns what the server answered until it closed (or 20 s passed). */
    static String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            try {
                s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            } catch (java.net.SocketException e) {
                // the server answered and closed before it read everything: read what it said
            }
            InputStream in = s.getInputStream();
            StringBuilder sb = new StringBuilder();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (java.net.SocketException e) {
                // reset after the answer: the server closed while we were still sending
            }
            return sb.toString();
        }
    }
}
