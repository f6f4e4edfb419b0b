package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /api/v1/label/NAME/values over a real store sorts as Prometheus does, by UTF-8 bytes (U+1F600
 * after U+FFFD, where Java's String order puts it before), with and without match[], with values
 * from series made after the store opened (the index's delta) and before (its frozen part).
 */
class LabelValuesOrderTest {
    @TempDir
    Path tmp;

    @Test
    void labelValuesAreInUtf8ByteOrder() throws Exception {
        String[] values = {"\uD83D\uDE00", "b", "\uFFFD", "a", "\u00e9", "\uE000", "Z"};
        String expected = "{\"status\":\"success\",\"data\":[\"Z\",\"a\",\"b\",\"\u00e9\",\"\uE000\",\"\uFFFD\",\"\uD83D\uDE00\"]}";
        DbOptions opts = DbOptions.defaults(tmp.resolve("data"));
        try (Db db = Db.open(opts)) {
            Appender a = db.appender();
            for (int i = 0; i < 4; i++) {
                a.append(a.seriesRef(Labels.of("__name__", "m", "v", values[i])), 1000, 1);
            }
            a.commit();
        }
        try (Db db = Db.open(opts)) {
            Appender a = db.appender();
            for (int i = 3; i < values.length; i++) {
                a.append(a.seriesRef(Labels.of("__name__", "m", "v", values[i])), 1000, 1);
            }
            a.commit();
            ApiHandlers h = new ApiHandlers(() -> db, new EngineQueryService(new EngineOptions(300_000, 60_000, 1000, 60_000)),
                    new ApiHandlers.Options(60_000, 2, "0.1.0", "abc", "2026-11-23"), List.of());
            ApiServer server = ApiServer.start("127.0.0.1", 0, h);
            try {
                assertEquals(expected, get(server, "/api/v1/label/v/values"));
                assertEquals(expected, get(server, "/api/v1/label/v/values?match[]=m&start=0&end=10"));
                assertEquals(expected, get(server, "/api/v1/label/v/values?match[]=m&match[]=" + enc("{v=~\".+\"}") + "&start=0&end=10"));
            } finally {
                server.close();
            }
        }
    }

    private static String get(ApiServer server, String pathAndQuery) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
