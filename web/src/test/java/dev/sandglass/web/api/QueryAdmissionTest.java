package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.query.engine.Evaluation;
import dev.sandglass.query.engine.QueryResult;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many heavy queries at once (what --memory.limit's admission is for): they queue for the query
 * slots, and each either answers in full or fails with a clear JSON error, never a 500.
 */
class QueryAdmissionTest {
    static final int SLOTS = 2;
    static final long MAX_SAMPLES = 20_000;
    static ApiServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final AtomicInteger running = new AtomicInteger();
    static final AtomicInteger mostAtOnce = new AtomicInteger();
    static final AtomicBoolean outOfMemory = new AtomicBoolean();

    /** The real engine, counting how many queries it evaluates at once. */
    static final class Counting implements QueryService {
        final EngineQueryService engine = new EngineQueryService(new EngineOptions(300_000, 60_000, MAX_SAMPLES, 60_000));

        private <T> T counted(java.util.function.Supplier<T> work) {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                if (outOfMemory.get()) {
                    throw new OutOfMemoryError("Java heap space");
                }
                return work.get();
            } finally {
                running.decrementAndGet();
            }
        }

        @Override
        public QueryResult instant(Queryable s, String q, long t, long timeoutMs, BooleanSupplier c) {
            return counted(() -> engine.instant(s, q, t, timeoutMs, c));
        }

        @Override
        public QueryResult range(Queryable s, String q, long a, long b, long step, long timeoutMs, BooleanSupplier c) {
            return counted(() -> engine.range(s, q, a, b, step, timeoutMs, c));
        }

        @Override
        public Evaluation rangeEvaluation(Queryable s, String q, long a, long b, long step, long timeoutMs, BooleanSupplier c) {
            return counted(() -> engine.rangeEvaluation(s, q, a, b, step, timeoutMs, c));
        }

        @Override
        public Evaluation instantEvaluation(Queryable s, String q, long t, long timeoutMs, BooleanSupplier c) {
            return counted(() -> engine.instantEvaluation(s, q, t, timeoutMs, c));
        }
    }

    @BeforeAll
    static void start() {
        MemStorage store = new MemStorage();
        Appender a = store.appender();
        for (int s = 0; s < 50; s++) {
            long ref = a.seriesRef(Labels.of("__name__", "load", "group", s < 10 ? "a" : "b", "sandbox_name", "s" + s));
            for (int i = 0; i < 2000; i++) {
                a.append(ref, i * 1000L, i % 97);
            }
        }
        a.commit();
        ApiHandlers h = new ApiHandlers(() -> store, new Counting(), new ApiHandlers.Options(120_000, SLOTS, "0.1.0", "abc", "2026-11-29"),
                List.of());
        server = ApiServer.start("127.0.0.1", 0, h);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String url(String query, int end, int step) {
        return "http://127.0.0.1:" + server.port() + "/api/v1/query_range?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&start=0&end=" + end + "&step=" + step;
    }

    static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void fiftyHeavyQueriesAtOnceQueueForTheSlotsAndEachAnswersOrFailsCleanly() throws Exception {
        // Within the limit: 10 series x 1,500 steps = 15,000 samples. Over it: 50 x 2,000 = 100,000.
        String fits = url("rate(load{group=\"a\"}[1m])", 1500, 1);
        String tooBig = url("load", 2000, 1);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String u = i % 5 == 4 ? tooBig : fits;
            calls.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(u)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        int refused = 0;
        for (int i = 0; i < calls.size(); i++) {
            HttpResponse<String> r = calls.get(i).get();
            if (i % 5 == 4) {
                assertEquals(422, r.statusCode(), r.body());
                assertTrue(r.body().startsWith("{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query processing would load too many samples"),
                        r.body());
                refused++;
            } else {
                assertEquals(200, r.statusCode(), r.body());
                // Large answers are sent in chunks: each arrives whole (10 series, every step).
                assertTrue(r.body().length() > 4 * StreamedReply.CHUNK, "answer of " + r.body().length() + " chars");
                assertTrue(r.body().endsWith("]]}]}}"), r.body().substring(r.body().length() - 40));
                assertEquals(10, r.body().split("\"metric\"", -1).length - 1);
                ok++;
            }
        }
        assertEquals(40, ok);
        assertEquals(10, refused);
        assertTrue(mostAtOnce.get() <= SLOTS, "at most " + SLOTS + " evaluated at once, saw " + mostAtOnce.get());
    }

    @Test
    void aQueryThatRunsOutOfHeapIsA503AndTheServerGoesOn() throws Exception {
        outOfMemory.set(true);
        HttpResponse<String> r;
        try {
            r = get(url("load", 10, 1));
        } finally {
            outOfMemory.set(false);
        }
        assertEquals(503, r.statusCode());
        assertEquals("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"" + ApiError.OUT_OF_MEMORY + "\"}", r.body());
        assertEquals(200, get(url("load{group=\"a\"}", 10, 1)).statusCode());
    }
}
