package dev.sandglass.query.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.mem.MemStorage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A query over the sample limit fails once the series built so far pass it, not after building
 * every series (what it held was the whole selection's step cells, far more than the limit it is
 * refused for); the error, and every answer within the limit, are as before. The work done is
 * counted by the engine's polls of the cancel flag (one per series and per 1,024 steps), not timed.
 */
class EarlyTooManySamplesTest {
    static final int SERIES = 2_000;
    static final int STEPS = 101;
    static final long LIMIT = 30_000;
    static MemStorage store;

    @BeforeAll
    static void load() {
        store = new MemStorage();
        Appender a = store.appender();
        for (int s = 0; s < SERIES; s++) {
            long ref = a.seriesRef(Labels.of("__name__", "m", "i", Integer.toString(s)));
            for (int k = 0; k < STEPS; k++) {
                a.append(ref, k * 10_000L, s + k * 0.5);
            }
        }
        a.commit();
    }

    /** Polls of the cancel flag while evaluating {@code q} over every step, with a limit of {@code maxSamples}; -1 when it answered. */
    static int pollsToFail(String q, long maxSamples) {
        AtomicInteger polls = new AtomicInteger();
        Engine e = new Engine(new EngineOptions(300_000, 60_000, maxSamples, 60_000));
        PromQLException.TooManySamplesException x = assertThrows(PromQLException.TooManySamplesException.class,
                () -> e.range(store, q, 0, (STEPS - 1) * 10_000L, 10_000, () -> polls.incrementAndGet() < 0));
        assertTrue(x.getMessage().startsWith("query processing would load too many samples into memory"), x.getMessage());
        return polls.get();
    }

    static int pollsToAnswer(String q) {
        AtomicInteger polls = new AtomicInteger();
        QueryResult r = new Engine(EngineOptions.defaults()).range(store, q, 0, (STEPS - 1) * 10_000L, 10_000,
                () -> polls.incrementAndGet() < 0);
        assertEquals(SERIES, ((QueryResult.MatrixResult) r).series().size());
        return polls.get();
    }

    @Test
    void aSelectionOverTheLimitStopsSoonAfterPassingIt() {
        // 2,000 series x 101 steps = 202,000 samples against a limit of 30,000 (~300 series); the
        // cells (202,000) are within the 8x cap on cells allocated, so only the count stops it.
        int failed = pollsToFail("m", LIMIT);
        int answered = pollsToAnswer("m");
        assertTrue(failed < answered / 4, "polls to fail " + failed + ", to answer " + answered);
    }

    @Test
    void aRangeFunctionOverTheLimitStopsSoonAfterPassingIt() {
        int failed = pollsToFail("rate(m[1m])", LIMIT);
        int answered = pollsToAnswer("rate(m[1m])");
        assertTrue(failed < answered / 4, "polls to fail " + failed + ", to answer " + answered);
    }

    @Test
    void aQueryJustWithinTheLimitStillAnswers() {
        // Every series has a value at every step: 202,000 samples exactly.
        Engine e = new Engine(new EngineOptions(300_000, 60_000, (long) SERIES * STEPS, 60_000));
        QueryResult r = e.range(store, "m", 0, (STEPS - 1) * 10_000L, 10_000);
        assertEquals(SERIES, ((QueryResult.MatrixResult) r).series().size());
        pollsToFail("m", (long) SERIES * STEPS - 1);
    }
}
