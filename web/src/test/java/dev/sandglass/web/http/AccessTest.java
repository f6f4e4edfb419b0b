package dev.sandglass.web.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.sandglass.query.engine.QueryResult;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.mem.MemStorage;
import dev.sandglass.web.api.ApiHandlers;
import dev.sandglass.web.api.ApiServer;
import dev.sandglass.web.api.QueryService;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --web.config.file (TLS, basic auth with bcrypt), --web.read-only, and no file served by any path. */
class AccessTest {
    @TempDir
    Path tmp;

    static final class Engine implements QueryService {
        @Override
        public QueryResult instant(Queryable s, String q, long t, long timeout, BooleanSupplier c) {
            return new QueryResult.ScalarResult(t, q.length());
        }

        @Override
        public QueryResult range(Queryable s, String q, long start, long end, long step, long timeout, BooleanSupplier c) {
            return new QueryResult.MatrixResult(List.of());
        }
    }

    private static ApiServer server(ServerOptions options) {
        return ApiServer.start("127.0.0.1", 0, new ApiHandlers(MemStorage::new, new Engine(),
                new ApiHandlers.Options(60_000, 2, "0", "x", "y"), List.of()), options);
    }

    private Path config(String yaml) throws Exception {
        Path f = tmp.resolve("web.yml");
        Files.writeString(f, yaml);
        return f;
    }

    /** A client that trusts the test's self-signed certificate (and only talks to loopback). */
    private static HttpClient trustingClient() throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] c, String a) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        return HttpClient.newBuilder().sslContext(ssl).build();
    }

    /**
     * One request on {@code c}'s kept-alive connection. The server keeps its default read timeout
     * (60 s): with 2 s, a POST had to arrive within 2 s of the previous answer on that connection,
     * which a loaded machine can miss (HttpHardeningTest met the same). The 20 s timeout here is far
     * below it, so an answer that never comes fails the test instead of being retried by the client
     * on a new connection once the server closes the old one (that hid BasicAuthCheckTest's bug).
     */
    private static HttpResponse<String> send(HttpClient c, String url, String auth, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(20));
        if (auth != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
        }
        if (form != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        }
        return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tlsAndBasicAuthFromAPrometheusWebConfig() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
        Files.copy(Path.of(cert.certificatePath()), tmp.resolve("server.crt"));
        Files.copy(Path.of(cert.privateKeyPath()), tmp.resolve("server.key"));
        String hash = BCrypt.withDefaults().hashToString(4, "s3cret".toCharArray());
        Path f = config("tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n  alice: " + hash + "\n");
        try (ApiServer s = server(new ServerOptions(HttpLimits.defaults(), WebConfig.load(f), false))) {
            HttpClient c = trustingClient();
            String base = "https://localhost:" + s.port(); // the certificate names localhost
            HttpResponse<String> none = send(c, base + "/api/v1/query?query=up&time=1", null, null);
            assertEquals(401, none.statusCode());
            assertEquals("Basic", none.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals(401, send(c, base + "/api/v1/query?query=up&time=1", "alice:wrong", null).statusCode());
            assertEquals(401, send(c, base + "/metrics", "mallory:s3cret", null).statusCode());
            assertEquals(401, send(c, base + "/-/healthy", null, null).statusCode(), "every route, health included, as exporter-toolkit");
            HttpResponse<String> ok = send(c, base + "/api/v1/query?query=up&time=1", "alice:s3cret", null);
            assertEquals(200, ok.statusCode(), ok.body());
            // A form POST's body survives the asynchronous password check.
            HttpResponse<String> post = send(c, base + "/api/v1/query", "alice:s3cret", "time=1&query=" + "a".repeat(20_000));
            assertEquals(200, post.statusCode(), post.body());
            assertTrue(post.body().contains("\"20000\""), post.body());
            // Plain HTTP to the TLS port is not served (the connection is closed after the read timeout at the latest).
            assertThrows(java.io.IOException.class, () -> HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/-/healthy")).build(), HttpResponse.BodyHandlers.ofString()));
        }
    }

    @Test
    void webConfigMistakesAreNamed() throws Exception {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WebConfig.load(config("basic_auth_users:\n  bob: plaintext\n")))
                .getMessage().contains("basic_auth_users.bob is not a bcrypt hash"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WebConfig.load(config("tls_server_config:\n  cert_file: nope.crt\n  key_file: nope.key\n")))
                .getMessage().contains("tls_server_config.cert_file"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WebConfig.load(config(
                "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireAndVerifyClientCert\n")))
                .getMessage().contains("tls_server_config.client_auth_type is not supported"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WebConfig.load(config("basic_auth:\n  x: y\n")))
                .getMessage().contains("unknown field \"basic_auth\""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WebConfig.load(config("a: [")))
                .getMessage().contains("is not valid YAML"));
    }

    @Test
    void readOnlyRefusesEverythingButReading() throws Exception {
        try (ApiServer s = server(new ServerOptions(HttpLimits.defaults(), null, true))) {
            HttpClient c = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + s.port();
            assertEquals(200, send(c, base + "/api/v1/query", null, "query=up&time=1").statusCode(), "a form POST query is a read");
            HttpResponse<String> write = send(c, base + "/api/v1/write", null, "x");
            assertEquals(403, write.statusCode());
            assertTrue(write.body().contains("--web.read-only"), write.body());
            assertEquals(403, send(c, base + "/api/v1/admin/tsdb/delete_series", null, "match[]=up").statusCode());
            assertEquals(200, send(c, base + "/-/ready", null, null).statusCode());
        }
    }

    @Test
    void noPathServesAFile() throws Exception {
        try (ApiServer s = server(ServerOptions.defaults())) {
            for (String p : List.of("/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/api/v1/label/..%2f..%2f..%2fetc%2fpasswd/values",
                    "/static/../../etc/passwd", "//etc/passwd", "/api/v1/../../etc/passwd")) {
                try (java.net.Socket so = new java.net.Socket("127.0.0.1", s.port())) {
                    so.getOutputStream().write(("GET " + p + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    String answer = new String(so.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertFalse(answer.contains("root:"), p + ": " + answer);
                    assertTrue(answer.matches("(?s)HTTP/1.1 (400|404) .*"), p + ": " + answer);
                }
            }
        }
    }
}
