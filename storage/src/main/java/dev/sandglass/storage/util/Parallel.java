package dev.sandglass.storage.util;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs independent per-item work (one series each) on every core: the calling thread and up to
 * {@code cores - 1} pool threads claim items one at a time, so uneven items even out. The caller
 * always works too and waits only for items other threads have already claimed, so a call from
 * inside a pool thread (nesting) or with the pool busy with other queries still makes progress.
 */
public final class Parallel {
    private static final int THREADS = Runtime.getRuntime().availableProcessors();
    private static final ExecutorService POOL = THREADS > 1 ? Executors.newFixedThreadPool(THREADS - 1, r -> {
        Thread t = new Thread(r, "sandglass-parallel");
        t.setDaemon(true);
        return t;
    }) : null;

    private Parallel() {
    }

    /** Work on item {@code i} with a worker-local state {@code s} (e.g. a scratch buffer). */
    @FunctionalInterface
    public interface Body<S> {
        void run(S s, int i);
    }

    /** Runs {@code body(i)} for every {@code i} in {@code [0, n)}. */
    public static void forEach(int n, java.util.function.IntConsumer body) {
        forEach(n, () -> null, (s, i) -> body.accept(i));
    }

    /**
     * Runs {@code body(state, i)} for every {@code i} in {@code [0, n)}; each thread gets its own
     * state from {@code state}. The first exception stops the claiming of new items and is rethrown
     * to the caller once every claimed item has finished.
     */
    public static <S> void forEach(int n, Supplier<S> state, Body<S> body) {
        if (n <= 0) {
            return;
        }
        if (POOL == null || n == 1) {
            S s = state.get();
            for (int i = 0; i < n; i++) {
                body.run(s, i);
            }
            return;
        }
        Job<S> job = new Job<>(n, state, body);
        int helpers = Math.min(THREADS - 1, n - 1);
        for (int k = 0; k < helpers; k++) {
            POOL.execute(job::work);
        }
        job.work();
        job.awaitClaimed();
        Throwable t = job.failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    private static final class Job<S> {
        final int n;
        final Supplier<S> state;
        final Body<S> body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(int n, Supplier<S> state, Body<S> body) {
            this.n = n;
            this.state = state;
            this.body = body;
        }

        void work() {
            S s = null;
            int i;
            while ((i = next.getAndIncrement()) < n) {
                try {
                    if (failure.get() == null) {
                        if (s == null) {
                            s = state.get();
                        }
                        body.run(s, i);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    if (done.incrementAndGet() == n) {
                        synchronized (this) {
                            notifyAll();
                        }
                    }
                }
            }
        }

        /** Every item is claimed once the caller's own loop ends; wait for the others' to finish. */
        synchronized void awaitClaimed() {
            boolean interrupted = false;
            while (done.get() < n) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
