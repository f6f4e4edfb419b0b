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
    void waitsWhileTheServerIsBusyThenCollectsAtTheFirstQuietTick() {
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean();
        IdleMemory gated = new IdleMemory(done::get, writing::get, 10_000, collected::incrementAndGet);
        done.incrementAndGet();
        gated.tick(0);
        writing.set(true); // queries stopped, a stream of writes goes on
        for (long t = 1_000; t <= 60_000; t += 1_000) {
            gated.tick(t);
        }
        assertEquals(0, collected.get(), "no full collection while the server takes writes");
        assertEquals(51, gated.postponed());
        writing.set(false);
        gated.tick(61_000);
        assertEquals(1, collected.get());
        gated.tick(62_000);
        assertEquals(1, collected.get(), "still once per burst of queries");
    }

    @Test
    void busyIsAskedOnlyWhenACollectionIsDue() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        IdleMemory gated = new IdleMemory(done::get, () -> asked.incrementAndGet() < 0, 10_000, collected::incrementAndGet);
        for (long t = 0; t < 30_000; t += 1_000) {
            gated.tick(t);
        }
        assertEquals(0, asked.get(), "no query ran: nothing to collect, no probe of the CPU");
    }

    @Test
    void anIdleServerThatRanNoQueryIsLeftAlone() {
        for (long t = 0; t < 120_000; t += 1_000) {
            idle.tick(t);
        }
        assertEquals(0, collected.get());
    }
}
