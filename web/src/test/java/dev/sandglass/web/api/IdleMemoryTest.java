package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IdleMemoryTest {
    private final AtomicLong done = new AtomicLong();
    private final AtomicInteger collected = new AtomicInteger();
    private final IdleMemory idle = new IdleMemory(done::get, 10_000, collected::incrementAndGet);

    @Test
    void collectsOnceWhenQueriesStopForTheQuietTime() {
        idle.tick(0);
        done.addAndGet(3);
        idle.tick(1_000);
        idle.tick(10_999);
        assertEquals(0, collected.get(), "not before 10 s without a query");
        idle.tick(11_000);
        assertEquals(1, collected.get());
        idle.tick(30_000);
        idle.tick(60_000);
        assertEquals(1, collected.get(), "once per burst, not on every quiet tick");
    }

    @Test
    void neverCollectsWhileQueriesKeepComing() {
        for (long t = 0; t < 120_000; t += 1_000) {
            done.incrementAndGet();
            idle.tick(t);
        }
        assertEquals(0, collected.get());
        idle.tick(130_000);
        assertEquals(1, collected.get());
    }

    @Test
    void anIdleServerThatRanNoQueryIsLeftAlone() {
        for (long t = 0; t < 120_000; t += 1_000) {
            idle.tick(t);
        }
        assertEquals(0, collected.get());
    }
}
