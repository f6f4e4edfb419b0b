package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.engine.EngineOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-up only helps if its queries reach the code real ones do: every query must find data
 * in the synthetic fleet (a renamed metric would otherwise warm nothing), so must the capacity
 * reports it computes (CapacityWarmup), and its store must be
 * gone afterwards.
 */
class EngineWarmupTest {
    @Test
    void everyQueryAnswersWithDataAndTheStoreIsDeleted(@TempDir Path parent) throws Exception {
        EngineWarmup warmup = new EngineWarmup(new EngineQueryService(EngineOptions.defaults()), 12, 2, 2);
        int answered = warmup.run(() -> false, parent);
        // Then capacity reports, four a round, each with data (CapacityWarmup throws otherwise).
        int reports = answered - 2 * 2 * EngineWarmup.queries().size();
        assertEquals(0, reports % 4, answered + " answers");
        assertTrue(reports >= 4 * (CapacityWarmup.MIN_ROUNDS + 1), reports + " capacity reports");
        try (Stream<Path> left = Files.list(parent)) {
            assertEquals(0, left.count());
        }
    }

    /** The requests to itself must all be valid (an error status would throw) and read no data. */
    @Test
    void requestsToItselfAreValidAndReadNoData() throws Exception {
        try (ApiServer server = noDataServer()) {
            EngineWarmup.requestSelf(java.net.URI.create("http://127.0.0.1:" + server.port() + "/"));
        }
    }

    /**
     * The large request must answer as large as a real range query (else it warms nothing the
     * small ones did not), from the step's time alone, never the store.
     */
    @Test
    void theLargeRequestAnswersTwoFullSeriesWithoutData() throws Exception {
        try (ApiServer server = noDataServer()) {
            java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + server.port() + "/api/v1/query_range?query="
                    + java.net.URLEncoder.encode(EngineWarmup.LARGE_ANSWER, java.nio.charset.StandardCharsets.UTF_8)
                    + "&start=1700000000&end=1700010799&step=1");
            String body;
            try (java.io.InputStream in = uri.toURL().openStream()) {
                body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            io.vertx.core.json.JsonArray result = new io.vertx.core.json.JsonObject(body).getJsonObject("data").getJsonArray("result");
            assertEquals(2, result.size(), body.length() > 300 ? body.substring(0, 300) : body);
            for (int i = 0; i < 2; i++) {
                assertEquals(10_800, result.getJsonObject(i).getJsonArray("values").size());
            }
            // Fractional values (the number writer's long path), not only whole numbers.
            io.vertx.core.json.JsonArray point = result.getJsonObject(0).getJsonArray("values").getJsonArray(1);
            assertTrue(point.getString(1).contains("."), point.encode());
        }
    }

    /** A server on a free loopback port whose store fails any read. */
    private static ApiServer noDataServer() throws Exception {
        dev.sandglass.storage.api.Queryable noData = (minT, maxT) -> {
            throw new AssertionError("the warm-up's HTTP requests read the store");
        };
        ApiHandlers h = new ApiHandlers(() -> noData, new EngineQueryService(EngineOptions.defaults()),
                new ApiHandlers.Options(60_000, 2, "0.1.0", "abc", "2026-11-23"), java.util.List.of());
        return ApiServer.start("127.0.0.1", 0, h);
    }

    @Test
    void stopsWhenAsked(@TempDir Path parent) throws Exception {
        EngineWarmup warmup = new EngineWarmup(new EngineQueryService(EngineOptions.defaults()), 2, 1, 1000);
        assertEquals(0, warmup.run(() -> true, parent));
        try (Stream<Path> left = Files.list(parent)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void roundsStopOnceTheyNoLongerGetFaster() {
        WarmupConvergence c = new WarmupConvergence(-1, Long.MAX_VALUE);
        // Compiling: each round faster than the one before, then level.
        long[] rounds = {900, 500, 300, 200, 195, 205, 190};
        boolean[] stop = new boolean[rounds.length];
        for (int i = 0; i < rounds.length; i++) {
            stop[i] = c.after(rounds[i], -1, -1);
        }
        assertEquals("[false, false, false, false, false, true, true]", java.util.Arrays.toString(stop));
        // Never before MIN_ROUNDS, however level the times.
        WarmupConvergence level = new WarmupConvergence(-1, Long.MAX_VALUE);
        assertEquals(false, level.after(100, -1, -1));
        assertEquals(false, level.after(100, -1, -1));
        assertEquals(false, level.after(100, -1, -1));
        assertEquals(true, level.after(100, -1, -1));
    }

    /**
     * Level rounds are not enough while the JIT is still compiling (its queue raises the bar for the
     * optimising compiler): the rest of the process burning CPU beside the warm-up thread says so,
     * over windows of the warm-up thread's CPU however short its rounds.
     */
    @Test
    void roundsStopOnlyOnceTheCompilersHaveCaughtUp() {
        WarmupConvergence c = new WarmupConvergence(0, Long.MAX_VALUE);
        long ms = 1_000_000;
        long own = 0;
        long other = 0;
        java.util.List<Boolean> stops = new java.util.ArrayList<>();
        // Level rounds of 50 ms of CPU each; the compilers take as much beside them for 12 rounds, then 5%.
        for (int i = 0; i < 24; i++) {
            own += 50 * ms;
            other += i < 12 ? 50 * ms : 2 * ms;
            stops.add(c.after(100 * ms, own, other));
        }
        int first = stops.indexOf(true);
        assertTrue(first >= 12, "stopped at round " + first + " while the compilers were busy");
        assertTrue(first < 12 + 2 * (int) (WarmupConvergence.WINDOW_NANOS / (50 * ms)) + 1, "never stopped: " + stops);
    }

    /** However busy the compilers stay, the rounds stop once they have spent their CPU budget. */
    @Test
    void roundsStopAtTheirCpuBudget() {
        long ms = 1_000_000;
        WarmupConvergence c = new WarmupConvergence(1000 * ms, 300 * ms);
        assertEquals(false, c.after(100 * ms, 1100 * ms, 100 * ms));
        assertEquals(false, c.after(100 * ms, 1200 * ms, 200 * ms));
        assertEquals(true, c.after(100 * ms, 1300 * ms, 300 * ms));
    }
}
