package dev.sandglass.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    private static final long MIB = 1L << 20;

    @Test
    void theDefaultBudgetRunsTwoQueriesAtOnceAndLowersTheSampleLimitToTheirShare() {
        MemoryBudget b = MemoryBudget.of(128 * MIB, 64 * MIB, 50_000_000, 4);
        assertEquals(2, b.maxConcurrency());
        assertEquals(64 * MIB / 2 / MemoryBudget.BYTES_PER_SAMPLE / 2, b.maxSamples());
        assertTrue(b.samplesLowered());
        assertTrue(b.maxSamples() * b.maxConcurrency() * MemoryBudget.BYTES_PER_SAMPLE <= 64 * MIB / 2,
                "all queries at once fit in half the heap");
    }

    @Test
    void theWarmupFleetShrinksWithTheHeap() {
        assertEquals(11, MemoryBudget.of(128 * MIB, 61 * MIB, 50_000_000, 4).warmupSandboxes());
        assertEquals(4, MemoryBudget.of(32 * MIB, 16 * MIB, 50_000_000, 4).warmupSandboxes());
        assertEquals(12, MemoryBudget.of(1L << 30, 512 * MIB, 50_000_000, 4).warmupSandboxes());
    }

    @Test
    void aSmallBudgetRunsFewerQueriesAtOnceBeforeStarvingEach() {
        MemoryBudget b = MemoryBudget.of(32 * MIB, 16 * MIB, 50_000_000, 4);
        assertEquals(1, b.maxConcurrency());
        assertEquals(16 * MIB / 2 / MemoryBudget.BYTES_PER_SAMPLE, b.maxSamples());
    }

    @Test
    void aLargeBudgetKeepsTheUsersLimitsAndTheHeapTheJvmReallyHasBounds() {
        MemoryBudget big = MemoryBudget.of(64L << 30, 32L << 30, 1_000_000, 4);
        assertEquals(1_000_000, big.maxSamples());
        assertEquals(4, big.maxConcurrency());
        assertFalse(big.samplesLowered());
        // java started without the launcher, with a smaller heap than the limit implies
        MemoryBudget small = MemoryBudget.of(1L << 30, 64 * MIB, 50_000_000, 4);
        assertEquals(64 * MIB, small.heapBytes());
    }

    @Test
    void withoutALimitQueriesShareAFixedBudgetHoweverLargeTheHeapMayGrow() {
        for (long heap : new long[] {256 * MIB, 1L << 30, 6L << 30, 64L << 30}) {
            MemoryBudget b = MemoryBudget.of(MemoryBudget.NONE, heap, 50_000_000, 4);
            assertEquals(heap, b.heapBytes(), "the heap (and the head's quarter of it) still follows the JVM's ceiling");
            assertEquals(MemoryBudget.DEFAULT_QUERY_BYTES, b.queryBytes());
            assertEquals(1, b.maxConcurrency());
            assertEquals(262_144, b.maxSamples());
            assertTrue(b.samplesLowered());
            assertTrue(b.maxSamples() * b.maxConcurrency() * MemoryBudget.BYTES_PER_SAMPLE <= MemoryBudget.DEFAULT_QUERY_BYTES,
                    "all queries at once fit in the default budget at " + (heap >> 20) + " MiB");
        }
        // before: a 6 GiB ceiling allowed 4 queries of 12.5 million samples (3 GiB between them)
        MemoryBudget asked = MemoryBudget.of(MemoryBudget.NONE, 6L << 30, 50_000_000, 20);
        assertEquals(1, asked.maxConcurrency(), "--query.max-concurrency is cut to what the budget holds");
        assertTrue(asked.describe().contains("queries 16 MiB between them"), asked.describe());
        assertTrue(asked.describe().contains("262,144 samples"), asked.describe());
    }

    @Test
    void withoutALimitASmallHeapGivenToJavaDirectlyStillBoundsTheQueries() {
        MemoryBudget b = MemoryBudget.of(MemoryBudget.NONE, 24 * MIB, 50_000_000, 4);
        assertEquals(12 * MIB, b.queryBytes());
        assertEquals(1, b.maxConcurrency());
        assertEquals(12 * MIB / MemoryBudget.BYTES_PER_SAMPLE, b.maxSamples());
    }

    @Test
    void smallQueriesAskedForByTheUserKeepTheirConcurrencyWhenAllOfThemFit() {
        MemoryBudget b = MemoryBudget.of(MemoryBudget.NONE, 6L << 30, 50_000, 4);
        assertEquals(4, b.maxConcurrency());
        assertEquals(50_000, b.maxSamples());
        assertFalse(b.samplesLowered());
        assertTrue(4 * 50_000 * MemoryBudget.BYTES_PER_SAMPLE <= b.queryBytes());
        // more at once than fit are cut: 262,144 samples hold 5 of 50,000
        assertEquals(5, MemoryBudget.of(MemoryBudget.NONE, 6L << 30, 50_000, 8).maxConcurrency());
    }
}
