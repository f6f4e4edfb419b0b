package dev.sandglass.web.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.mem.MemStorage;
import dev.sandglass.web.api.ApiHandlers;
import dev.sandglass.web.api.ApiServer;
import dev.sandglass.web.api.EngineQueryService;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The UI's static files over real HTTP: what is served, with which headers, and what never is. */
class UiRoutesTest {
    static ApiServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        MemStorage store = new MemStorage();
        ApiHandlers h = new ApiHandlers(() -> store, new EngineQueryService(EngineOptions.defaults()),
                new ApiHandlers.Options(60_000, 2, "0.1.0", "abc", "2026-11-29"), List.of());
        server = ApiServer.start("127.0.0.1", 0, h);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void rootIsThePageWithItsSecurityHeaders() throws Exception {
        var r = get("/");
        assertEquals(200, r.statusCode());
        assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("<title>Sandglass</title>"));
        assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(""));
    }

    @Test
    void everyShippedFileIsListedAndServedWithItsType() throws Exception {
        Path dir = Path.of(UiAssets.class.getResource("/ui/ASSETS").toURI()).getParent();
        Set<String> shipped;
        try (Stream<Path> files = Files.walk(dir)) {
            shipped = files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.equals("ASSETS")).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> listed = new TreeSet<>();
        for (String p : UiAssets.load().paths()) {
            if (p.startsWith("/ui/") && !p.startsWith("/ui/vendor/")) {
                listed.add(p.substring("/ui/".length()));
            }
        }
        assertEquals(shipped, listed, "files under resources/ui and the list in ui/ASSETS");
        for (String name : listed) {
            var r = get("/ui/" + name);
            assertEquals(200, r.statusCode(), name);
            assertEquals(UiAssets.contentType(name), r.headers().firstValue("Content-Type").orElse(""), name);
        }
        var uplot = get("/ui/vendor/uPlot.iife.min.js");
        assertEquals(200, uplot.statusCode());
        assertEquals("text/javascript; charset=utf-8", uplot.headers().firstValue("Content-Type").orElse(""));
        assertEquals(200, get("/ui/vendor/uPlot.min.css").statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ui/ASSETS", "/ui/", "/ui/js/", "/ui/nope.js", "/ui/../pom.xml", "/ui/%2e%2e/%2e%2e/pom.xml",
        "/ui/..%2f..%2fpom.xml", "/ui/js/../../ui/ASSETS", "/ui//etc/passwd", "/ui/META-INF/MANIFEST.MF",
        "/ui/dev/sandglass/web/ui/UiRoutes.class", "/ui/vendor/uPlot.esm.js", "/ui/vendor/../../META-INF/MANIFEST.MF",
        "/index.html", "/ui/index.html%00.js"})
    void nothingOutsideTheAssetsIsServed(String path) throws Exception {
        // a raw socket, so no client normalises the path before the server sees it
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String status = answer.substring(0, answer.indexOf("\r\n"));
            assertTrue(status.contains(" 404 ") || status.contains(" 400 "), path + " answered " + status);
            assertTrue(!answer.contains("<modelVersion>") && !answer.contains("Manifest-Version") && !answer.contains("root:"), answer);
        }
    }

    @Test
    void unchangedFilesAreNotSentAgain() throws Exception {
        var first = get("/ui/js/fleet.js");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        var again = get("/ui/js/fleet.js", "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals(0, again.body().length);
        assertEquals(200, get("/ui/js/fleet.js", "If-None-Match", "\"other\"").statusCode());
    }

    @Test
    void gzippedForClientsThatAcceptIt() throws Exception {
        byte[] plain = get("/ui/vendor/uPlot.iife.min.js").body();
        var gz = get("/ui/vendor/uPlot.iife.min.js", "Accept-Encoding", "gzip");
        assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElse(""));
        assertTrue(gz.body().length < plain.length / 2, gz.body().length + " bytes gzipped of " + plain.length);
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
            assertArrayEquals(plain, in.readAllBytes());
        }
    }

    @Test
    void apiPathsStillAnswerAsBefore() throws Exception {
        assertEquals(404, get("/api/v1/nope").statusCode());
        assertEquals(404, get("/graph").statusCode());
        assertEquals(200, get("/api/v1/query?query=1").statusCode());
    }
}
