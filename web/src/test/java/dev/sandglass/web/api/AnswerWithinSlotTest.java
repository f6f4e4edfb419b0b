package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.mem.MemStorage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A query keeps its slot until its answer is sent, so the memory of one answer being sent and of
 * the next query being evaluated are never held at once (with one slot, the burst of fifty heavy
 * queries peaked ~20 MiB lower). A client that stops reading cannot keep the slot for longer than
 * the query's timeout, and one that goes away frees it at once.
 */
class AnswerWithinSlotTest {
    static MemStorage store;
    static ApiServer server;
    static ApiHandlers handlers;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        store = new MemStorage();
        Appender a = store.appender();
        for (int s = 0; s < 40; s++) {
            long ref = a.seriesRef(Labels.of("__name__", "cpu", "sandbox_name", "sb-" + s));
            for (int i = 0; i <= 10_000; i++) {
                a.append(ref, i * 1000L, i * 0.37 + s / 3.0);
            }
        }
        a.commit();
        // One slot, as serve has without --memory.limit.
        handlers = new ApiHandlers(() -> store, new EngineQueryService(EngineOptions.defaults()),
                new ApiHandlers.Options(60_000, 1, "0.1.0", "abc", "2026-11-29"), List.of());
        server = ApiServer.start("127.0.0.1", 0, handlers);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Asks for a ~7 MB answer on a socket with a tiny receive window and reads only its first bytes. */
    static Socket stalledClient(String extra) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(2048);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        s.setSoTimeout(10_000);
        s.getOutputStream().write(("GET /api/v1/query_range?query=cpu&start=0&end=10000&step=1" + extra
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        byte[] head = new byte[512];
        int n = 0;
        InputStream in = s.getInputStream();
        try {
            while (n < head.length) {
                int r = in.read(head, n, head.length - n);
                assertTrue(r > 0, "the answer started");
                n += r;
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("only this arrived: " + new String(head, 0, n, StandardCharsets.US_ASCII), e);
        }
        String text = new String(head, StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("HTTP/1.1 200"), text);
        assertTrue(text.contains("\"resultType\":\"matrix\""), text);
        return s;
    }

    static CompletableFuture<HttpResponse<String>> smallQuery() {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/v1/query_range?query=cpu%7Bsandbox_name%3D%22sb-1%22%7D&start=0&end=100&step=10")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the server has counted {@code n} more query arrivals or departures than {@code before}. */
    static void awaitQueries(long before, long n) throws InterruptedException {
        for (int i = 0; i < 1000 && handlers.queriesDone() < before + n; i++) {
            Thread.sleep(10);
        }
        assertTrue(handlers.queriesDone() >= before + n, "queries counted: " + handlers.queriesDone());
    }

    @Test
    void theNextQueryWaitsWhileAnAnswerIsSentAndRunsOnceItsClientLeaves() throws Exception {
        Socket stalled = stalledClient("");
        long before = handlers.queriesDone();
        CompletableFuture<HttpResponse<String>> next = smallQuery();
        awaitQueries(before, 1); // it arrived and waits for the slot
        assertThrows(TimeoutException.class, () -> next.get(1, TimeUnit.SECONDS),
                "the slot is still held by the answer being sent");
        stalled.close(); // the client goes away mid-answer: the writer stops and frees the slot
        HttpResponse<String> r = next.get(20, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"sb-1\""), r.body());
    }

    @Test
    void aClientThatStopsReadingLosesItsAnswerAfterTheQueryTimeoutAndFreesTheSlot() throws Exception {
        try (Socket stalled = stalledClient("&timeout=2s")) {
            long before = handlers.queriesDone();
            CompletableFuture<HttpResponse<String>> next = smallQuery();
            awaitQueries(before, 1);
            // Still connected and not reading: after its 2 s the stalled answer is cut off, and the next query runs.
            HttpResponse<String> r = next.get(30, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            // The stalled client never gets a complete answer: its connection ends before the chunked body's end.
            InputStream in = stalled.getInputStream();
            byte[] buf = new byte[1 << 16];
            StringBuilder tail = new StringBuilder();
            boolean broken = false;
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    tail.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                    if (tail.length() > 64) {
                        tail.delete(0, tail.length() - 64);
                    }
                }
            } catch (IOException reset) {
                broken = true;
            }
            assertTrue(broken || !tail.toString().endsWith("0\r\n\r\n"), "incomplete answer, ends with: " + tail);
            assertFalse(tail.toString().endsWith("]]}]}}"), tail.toString());
        }
    }
}
