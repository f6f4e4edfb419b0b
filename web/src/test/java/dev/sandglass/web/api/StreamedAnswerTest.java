package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.engine.Engine;
import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.mem.MemStorage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A range answer of many chunks arrives as the text the writer wrote, byte for byte: the ASCII
 * chunks sent from reused arrays, and chunks with other characters (a label value in UTF-8).
 */
class StreamedAnswerTest {
    static MemStorage store;
    static ApiServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        store = new MemStorage();
        Appender a = store.appender();
        for (int s = 0; s < 40; s++) {
            // Every tenth sandbox's name is not ASCII, so some chunks hold it and some do not.
            String name = s % 10 == 9 ? "bac-à-sable-" + s + "-日本" : "sb-" + s;
            long ref = a.seriesRef(Labels.of("__name__", "cpu", "sandbox_name", name));
            for (int i = 0; i <= 2000; i++) {
                a.append(ref, i * 1000L, i * 0.1 + s / 3.0);
            }
        }
        a.commit();
        ApiHandlers h = new ApiHandlers(() -> store, new EngineQueryService(EngineOptions.defaults()),
                new ApiHandlers.Options(60_000, 2, "0.1.0", "abc", "2026-11-23"), List.of());
        server = ApiServer.start("127.0.0.1", 0, h);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aLongAnswerInChunksIsTheTextTheWriterWrote() throws Exception {
        String q = "rate(cpu[10s])";
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/v1/query_range?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&start=0&end=2000&step=1")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertFalse(r.headers().firstValue("Content-Length").isPresent(), "sent in chunks");
        StringBuilder expected = new StringBuilder();
        JsonWriter w = new JsonWriter(expected);
        w.beginObject().field("status", "success").name("data");
        ResultJson.write(new Engine(EngineOptions.defaults()).range(store, q, 0, 2_000_000, 1000), w);
        w.endObject();
        assertTrue(expected.length() > 10 * StreamedReply.CHUNK, "many chunks: " + expected.length());
        assertEquals(expected.toString(), new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void asciiTextIsCopiedAsBytesAndOtherTextIsRefused() {
        byte[] out = new byte[8];
        assertTrue(StreamedReply.ascii("[1,\"2\"]", out));
        assertEquals("[1,\"2\"]", new String(out, 0, 7, StandardCharsets.US_ASCII));
        assertFalse(StreamedReply.ascii("à", out));
    }
}
