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
}
