package dev.sandglass.storage.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A periodic task whose body throws is cancelled for good by its executor: the guard must keep
 * the schedule alive through an OutOfMemoryError, count it, report the loop as degraded while it
 * fails, back off, and report it working again once a turn succeeds.
 */
class LoopGuardTest {
    private static void await(String what, java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void aScheduledLoopSurvivesOutOfMemoryAndResumes() throws Exception {
        LoopGuard guard = LoopGuard.named("test loop " + System.nanoTime());
        AtomicInteger failLeft = new AtomicInteger(3);
        AtomicInteger succeeded = new AtomicInteger();
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
        try {
            s.scheduleAtFixedRate(guard.wrap(() -> {
                if (failLeft.getAndDecrement() > 0) {
                    throw new OutOfMemoryError("Java heap space");
                }
                succeeded.incrementAndGet();
            }), 0, 5, TimeUnit.MILLISECONDS);
            await("the first failure", () -> guard.failures() >= 1);
            assertTrue(LoopGuard.degraded().stream().anyMatch(r -> r.startsWith(guard.name() + ": java.lang.OutOfMemoryError: Java heap space")),
                    LoopGuard.degraded().toString());
            assertTrue(guard.backingOff(), "after a failure the loop waits before trying again");
            await("the loop runs again after three failures", () -> succeeded.get() > 0);
            assertEquals(3, guard.outOfMemoryErrors());
            assertEquals(0, guard.consecutiveFailures());
            assertFalse(LoopGuard.degraded().stream().anyMatch(r -> r.startsWith(guard.name())), "working again: not degraded");
            int before = succeeded.get();
            await("and keeps running", () -> succeeded.get() > before + 3);
            StringBuilder text = new StringBuilder();
            LoopGuard.writePrometheusText(text);
            assertTrue(text.toString().contains("sandglass_loop_failures_total{loop=\"" + guard.name() + "\",kind=\"out_of_memory\"} 3"), text.toString());
            assertTrue(text.toString().contains("sandglass_loop_up{loop=\"" + guard.name() + "\"} 1"), text.toString());
        } finally {
            s.shutdownNow();
        }
    }

    @Test
    void backoffDoublesUpToItsCap() {
        LoopGuard guard = LoopGuard.named("test backoff " + System.nanoTime());
        long last = 0;
        for (int i = 0; i < 10; i++) {
            guard.failed(new OutOfMemoryError());
            long wait = guard.retryInMillis();
            assertTrue(wait <= LoopGuard.MAX_BACKOFF_MS, "capped: " + wait);
            assertTrue(wait >= Math.min(LoopGuard.MAX_BACKOFF_MS, last) - 50, "never shorter than the one before: " + wait + " after " + last);
            last = wait;
        }
        assertTrue(last > LoopGuard.MAX_BACKOFF_MS - 1000, "reaches the cap after 10 failures: " + last);
        guard.succeeded();
        assertFalse(guard.backingOff());
    }
}
