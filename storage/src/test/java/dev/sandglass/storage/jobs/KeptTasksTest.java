package dev.sandglass.storage.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeptTasksTest {
    @Test
    void aTaskTheExecutorLostIsScheduledAgain() throws Exception {
        ScheduledExecutorService pool = java.util.concurrent.Executors.newScheduledThreadPool(1);
        LoopGuard guard = LoopGuard.fresh("test kept " + System.nanoTime());
        AtomicInteger runs = new AtomicInteger();
        try {
            KeptTasks.atFixedRate(pool, guard, runs::incrementAndGet, 0, 20);
            awaitAbove(runs, 2);
            KeptTasks.loseForTest(guard);
            Thread.sleep(100); // a run in flight ends
            int stalled = runs.get();
            Thread.sleep(200);
            assertEquals(stalled, runs.get(), "the lost task does not run");
            KeptTasks.check(System.nanoTime()); // not yet: inside two periods and the grace
            assertEquals(0, KeptTasks.rescheduled(guard));
            KeptTasks.check(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KeptTasks.GRACE_MS + 100));
            assertEquals(1, KeptTasks.rescheduled(guard));
            awaitAbove(runs, stalled + 2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLongTurnIsNotScheduledTwice() throws Exception {
        ScheduledExecutorService pool = java.util.concurrent.Executors.newScheduledThreadPool(2);
        LoopGuard guard = LoopGuard.fresh("test long " + System.nanoTime());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try {
            KeptTasks.atFixedRate(pool, guard, () -> {
                most.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                inside.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    concurrent.decrementAndGet();
                }
            }, 0, 10);
            assertTrue(inside.await(5, TimeUnit.SECONDS));
            KeptTasks.check(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KeptTasks.GRACE_MS + 1000));
            assertEquals(0, KeptTasks.rescheduled(guard), "a turn still running is not a lost task");
            release.countDown();
            Thread.sleep(50);
            assertEquals(1, most.get());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    private static void awaitAbove(AtomicInteger n, int min) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (n.get() <= min) {
            assertTrue(System.nanoTime() < end, "runs stayed at " + n.get());
            Thread.sleep(5);
        }
    }
}
