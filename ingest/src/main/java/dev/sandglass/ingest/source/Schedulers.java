package dev.sandglass.ingest.source;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The sources' background threads: daemon, named, and stopped after the work in flight. Their
 * repeating tasks go through {@link dev.sandglass.storage.jobs.KeptTasks}, which keeps them repeating.
 */
public final class Schedulers {
    private Schedulers() {
    }

    public static ScheduledExecutorService daemon(String name, int threads) {
        return Executors.newScheduledThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Stops {@code s} (null is fine), waiting up to 30 s for the run in flight to finish. */
    public static void stop(ScheduledExecutorService s) {
        if (s == null) {
            return;
        }
        s.shutdown();
        try {
            s.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
