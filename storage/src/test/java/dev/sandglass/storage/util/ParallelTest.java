package dev.sandglass.storage.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void everyItemRunsExactlyOnce() {
        int n = 10_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(n);
        Parallel.forEach(n, runs::incrementAndGet);
        for (int i = 0; i < n; i++) {
            assertEquals(1, runs.get(i), "item " + i);
        }
    }

    @Test
    void aStateIsNeverSharedBetweenThreads() {
        java.util.Map<Object, Thread> owner = new ConcurrentHashMap<>();
        Set<String> violations = ConcurrentHashMap.newKeySet();
        Parallel.forEach(20_000, () -> new int[1], (s, i) -> {
            Thread prev = owner.putIfAbsent(s, Thread.currentThread());
            if (prev != null && prev != Thread.currentThread()) {
                violations.add(prev.getName() + " and " + Thread.currentThread().getName());
            }
            s[0]++;
        });
        assertEquals(Set.of(), violations);
        assertEquals(20_000, owner.keySet().stream().mapToInt(s -> ((int[]) s)[0]).sum());
    }

    @Test
    void theFirstFailureReachesTheCaller() {
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.forEach(1_000, i -> {
            if (i == 500) {
                throw boom;
            }
        }));
        assertSame(boom, e);
    }

    @Test
    void nestedCallsFromPoolThreadsFinish() {
        AtomicIntegerArray runs = new AtomicIntegerArray(64 * 64);
        // Inner calls run on pool threads that the outer call occupies: must not wait on the queue.
        Parallel.forEach(64, i -> Parallel.forEach(64, j -> runs.incrementAndGet(i * 64 + j)));
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(1, runs.get(i));
        }
    }

    @Test
    void zeroAndOneItems() {
        Parallel.forEach(0, i -> {
            throw new AssertionError("no items");
        });
        AtomicIntegerArray one = new AtomicIntegerArray(1);
        Parallel.forEach(1, one::incrementAndGet);
        assertEquals(1, one.get(0));
    }
}
