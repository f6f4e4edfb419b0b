package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HeapGrowthTest {
    private static final long MIB = 1L << 20;

    @Test
    void eachStepOfGrowthIsOneEventAndAShrinkResetsTheMark() {
        AtomicLong committed = new AtomicLong(64 * MIB);
        HeapGrowth g = new HeapGrowth(committed::get, 32 * MIB);
        assertEquals(0, g.getAsLong());
        committed.set(90 * MIB);
        assertEquals(0, g.getAsLong(), "less than a step");
        committed.set(100 * MIB);
        assertEquals(1, g.getAsLong());
        assertEquals(1, g.getAsLong(), "the same heap is no new event");
        committed.set(170 * MIB);
        assertEquals(3, g.getAsLong(), "70 MiB past the mark of 100: two steps");
        committed.set(40 * MIB);
        g.collected();
        committed.set(60 * MIB);
        assertEquals(3, g.getAsLong(), "growth counts from what the collection left");
        committed.set(72 * MIB);
        assertEquals(4, g.getAsLong());
    }

    @Test
    void idleMemoryCollectsOnceTheHeapStoppedGrowing() {
        AtomicLong committed = new AtomicLong(64 * MIB);
        HeapGrowth g = new HeapGrowth(committed::get, 32 * MIB);
        AtomicLong collections = new AtomicLong();
        IdleMemory idle = new IdleMemory(g, 10_000, () -> {
            collections.incrementAndGet();
            committed.set(50 * MIB);
            g.collected();
        });
        idle.tick(0);
        committed.set(128 * MIB);
        idle.tick(1_000);
        idle.tick(5_000);
        assertEquals(0, collections.get(), "still within 10 s of the growth");
        idle.tick(11_000);
        assertEquals(1, collections.get());
        idle.tick(30_000);
        assertEquals(1, collections.get(), "no growth since: nothing more to give back");
    }
}
