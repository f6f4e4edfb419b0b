package dev.sandglass.ingest.collect;

import dev.sandglass.ingest.registry.RegistryException;
import dev.sandglass.ingest.registry.RegistryReader;
import dev.sandglass.ingest.registry.SlotSnapshot;
import dev.sandglass.ingest.source.SourceHealth;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.DiskFullException;
import dev.sandglass.storage.api.Storage;
import dev.sandglass.storage.jobs.KeptTasks;
import dev.sandglass.storage.jobs.LoopGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the registry every interval: read, map, append, commit (durable before the next
 * collection starts), then, outside that window, lets the store prepare the next commit. A failure is counted and logged once per distinct message (and once when it
 * clears); it never stops the loop: an Error (a full heap) is counted, then handed to the loop's
 * {@link LoopGuard}, which logs it with its cause and backs off before the next collection.
 */
public final class CollectLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CollectLoop.class);

    private final RegistryReader reader;
    private final Appender appender;
    private final Collector collector;
    private final IngestMetrics metrics;
    private final long intervalMs;
    private final String instance;
    private final List<SlotSnapshot> slots = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    private String lastError;
    private String lastPrepareError;
    /** The registry's health as a source, reported like every other source's (null: not reported). */
    private volatile SourceHealth health;

    public CollectLoop(RegistryReader reader, Storage storage, long intervalMs, String instance, boolean runLabels, IngestMetrics metrics) {
        this.reader = reader;
        this.appender = storage.appender();
        this.collector = new Collector(instance, runLabels);
        this.metrics = metrics;
        this.intervalMs = intervalMs;
        this.instance = instance;
    }

    public IngestMetrics metrics() {
        return metrics;
    }

    /**
     * Reports the registry as a source, as the other sources report themselves
     * ({@code sandglass_source_*{source="registry"}}, stored with every collection), beside the
     * loop's own sandglass_ingest_* series.
     */
    public void reportHealth(SourceHealth h) {
        this.health = h;
    }

    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandglass-collect");
            t.setDaemon(true);
            return t;
        });
        metrics.started(System.currentTimeMillis(), intervalMs);
        // A repeating task that throws is cancelled for good: the guard lets nothing escape (an
        // OutOfMemoryError in a handler included), logs it and backs off before the next try.
        KeptTasks.atFixedRate(scheduler, GUARD, () -> {
            collectOnce();
            prepareNext();
        }, 0, intervalMs);
    }

    /** The collect loop's guard: sandglass_loop_*{loop="collect"}, and /-/ready while it fails. */
    public static final LoopGuard GUARD = LoopGuard.named("collect");

    /**
     * Between collections: lets the store do work that keeps commits fast (filing the batch into
     * its in-memory series, pre-faulting its log). The loop calls it after every
     * {@link #collectOnce()}; so does the benchmark, untimed. A failure here loses nothing (the
     * batch is durable and a querier files it itself) and is logged once per distinct message.
     */
    public synchronized void prepareNext() {
        try {
            appender.prepareNext();
            lastPrepareError = null;
        } catch (RuntimeException | Error e) {
            String msg = "preparing the next commit failed: " + e;
            if (!msg.equals(lastPrepareError)) {
                LOG.warn(msg);
                lastPrepareError = msg;
            }
        }
    }

    /**
     * One collection, on the caller's thread (the loop calls it; so do tests and benchmarks): read,
     * map and commit. The samples are durable when it returns.
     */
    public synchronized void collectOnce() {
        long t0 = System.nanoTime();
        long now = System.currentTimeMillis();
        try {
            reader.read(slots);
            int added = collector.collect(slots, appender, now);
            // Stored with the batch as if it succeeded; counted only once the commit has.
            metrics.appendTo(appender, instance, now, added, collector.sandboxes());
            SourceHealth h = health;
            if (h != null) {
                h.succeeded(now);
                h.appendTo(appender, now);
            }
            appender.commit();
            metrics.collected(added, System.nanoTime() - t0, collector.sandboxes(), now);
            metrics.progressed(now);
            if (lastError != null) {
                LOG.info("collecting again from {}", reader.locator().path());
                lastError = null;
            }
        } catch (RegistryException e) {
            appender.rollback();
            // Nothing to collect is not a stall of ours: the source is reported, the store is fine.
            metrics.progressed(now);
            String reason = e.kind().name().toLowerCase(java.util.Locale.ROOT);
            metrics.failed(reason, System.nanoTime() - t0);
            if (!e.getMessage().equals(lastError)) {
                LOG.warn("{}; retrying every {} ms", e.getMessage(), intervalMs);
                lastError = e.getMessage();
            }
            storeFailure(reason, e.getMessage() + "; retrying every " + intervalMs + " ms", now);
        } catch (DiskFullException e) {
            // The store logs the pause once, and the resume; the batch is retried next interval.
            appender.rollback();
            metrics.failed("disk_full", System.nanoTime() - t0);
            lastError = e.getMessage();
            failedHealth("disk_full", e.getMessage());
        } catch (RuntimeException e) {
            appender.rollback();
            metrics.failed("store", System.nanoTime() - t0);
            String msg = "collection failed: " + e;
            failedHealth("store", msg);
            if (!msg.equals(lastError)) {
                LOG.error(msg, e);
                lastError = msg;
            }
        } catch (Error e) {
            // A mapping fault (InternalError), a full heap (OutOfMemoryError): the batch is dropped
            // (nothing of it is durable) and counted, and the Error goes on to the loop's guard,
            // which logs it and backs off. The handler allocates as little as it can: the heap
            // may still be full.
            appender.rollback();
            metrics.failed(e instanceof OutOfMemoryError ? "out_of_memory" : "error", System.nanoTime() - t0);
            try {
                failedHealth(e instanceof OutOfMemoryError ? "out_of_memory" : "error", "collection failed: " + e);
            } catch (Throwable ignored) {
                // counted above; the guard logs it
            }
            throw e;
        }
    }

    /** Counts a failure in the source's health (the loop logs it; see {@link SourceHealth#loggedElsewhere()}). */
    private void failedHealth(String reason, String message) {
        SourceHealth h = health;
        if (h != null) {
            h.failed(reason, message);
        }
    }

    /**
     * A registry-side failure (nothing to collect): counted, and the source's health is stored
     * alone, as the other sources store theirs with every attempt. A store that cannot take it is
     * already reported by the store itself.
     */
    private void storeFailure(String reason, String message, long now) {
        SourceHealth h = health;
        if (h == null) {
            return;
        }
        h.failed(reason, message);
        try {
            h.appendTo(appender, now);
            appender.commit();
        } catch (RuntimeException ex) {
            appender.rollback();
        }
    }

    /** Stops collecting after the collection in flight, which is committed. Idempotent. */
    public void stop() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scheduler;
            scheduler = null;
        }
        if (s != null) {
            s.shutdown();
            try {
                s.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
        reader.close();
    }
}
