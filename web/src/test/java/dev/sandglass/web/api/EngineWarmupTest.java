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
        dev.sandglass.storage.api.Queryable noData = (minT, maxT) -> {
            throw new AssertionError("the warm-up's HTTP requests read the store");
        };
        ApiHandlers h = new ApiHandlers(() -> noData, new EngineQueryService(EngineOptions.defaults()),
                new ApiHandlers.Options(60_000, 2, "0.1.0", "abc", "2026-11-23"), java.util.List.of());
        try (ApiServer server = ApiServer.start("127.0.0.1", 0, h)) {
            EngineWarmup.requestSelf(java.net.URI.create("http://127.0.0.1:" + server.port() + "/"));
        }
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
        EngineWarmup.Converged c = new EngineWarmup.Converged();
        // Compiling: each round faster than the one before, then level.
        long[] rounds = {900, 500, 300, 200, 195, 205, 190};
        boolean[] stop = new boolean[rounds.length];
        for (int i = 0; i < rounds.length; i++) {
            stop[i] = c.after(rounds[i], -1);
        }
        assertEquals("[false, false, false, false, false, true, true]", java.util.Arrays.toString(stop));
        // Never before MIN_ROUNDS, however level the times.
        EngineWarmup.Converged level = new EngineWarmup.Converged();
        assertEquals(false, level.after(100, -1));
        assertEquals(false, level.after(100, -1));
        assertEquals(false, level.after(100, -1));
        assertEquals(true, level.after(100, -1));
    }

    /** Level rounds are not enough while the JIT is still compiling: its queue raises the bar for the optimising compiler. */
    @Test
    void roundsStopOnlyOnceTheCompilersHaveCaughtUp() {
        EngineWarmup.Converged c = new EngineWarmup.Converged();
        long[] compiledMs = {400, 900, 1300, 1700, 2100, 2130, 2160};
        boolean[] stop = new boolean[compiledMs.length];
        for (int i = 0; i < compiledMs.length; i++) {
            stop[i] = c.after(100, compiledMs[i]);
        }
        assertEquals("[false, false, false, false, false, true, true]", java.util.Arrays.toString(stop));
    }
}
