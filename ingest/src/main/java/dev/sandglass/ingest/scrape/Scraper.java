package dev.sandglass.ingest.scrape;

import dev.sandglass.ingest.source.Schedulers;
import dev.sandglass.ingest.source.SourceHealthSet;
import dev.sandglass.storage.api.Storage;
import dev.sandglass.storage.jobs.KeptTasks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs a {@link ScrapeLoop} per target on a small shared pool. Like Prometheus, each target is
 * scraped at a fixed offset within its interval derived from a hash of the target, so many targets
 * with one interval spread over it instead of all firing at once. A slow or failing target only
 * delays itself.
 */
public final class Scraper implements AutoCloseable {
    /** The scrape pool's guard: sandglass_loop_*{loop="scrape"}. */
    public static final dev.sandglass.storage.jobs.LoopGuard GUARD = dev.sandglass.storage.jobs.LoopGuard.named("scrape");
    private final List<ScrapeLoop> loops = new ArrayList<>();
    private ScheduledExecutorService pool;

    public Scraper(List<ScrapeTarget> targets, Storage storage, SourceHealthSet health, String userAgent) {
        ScrapeClient client = new ScrapeClient(userAgent);
        for (ScrapeTarget t : targets) {
            loops.add(new ScrapeLoop(t, client, storage.appender(), health.register("scrape", t.display())));
        }
    }

    public List<ScrapeLoop> loops() {
        return List.copyOf(loops);
    }

    public synchronized void start() {
        if (pool != null || loops.isEmpty()) {
            return;
        }
        pool = Schedulers.daemon("sandglass-scrape", Math.min(8, loops.size()));
        long now = System.currentTimeMillis();
        for (ScrapeLoop l : loops) {
            long interval = l.target().intervalMs();
            // The guard keeps an Error (out of heap) from cancelling the target's schedule for good.
            KeptTasks.atFixedRate(pool, GUARD, l::scrapeOnce, offset(l.target(), now), interval);
        }
    }

    /** Delay to the target's slot: the next interval boundary plus a per-target hash offset (Prometheus's offset()). */
    static long offset(ScrapeTarget t, long nowMs) {
        long interval = t.intervalMs();
        long base = interval - Math.floorMod(nowMs, interval);
        long h = Math.floorMod((long) (t.display() + t.labels()).hashCode() * 0x9E3779B97F4A7C15L, interval);
        long next = base + h;
        return next > interval ? next - interval : next;
    }

    /**
     * Stops scraping, after the scrapes in flight. Like Prometheus at shutdown, no staleness markers
     * are written: the series go on when Sandglass starts again. Idempotent.
     */
    @Override
    public void close() {
        ScheduledExecutorService p;
        synchronized (this) {
            p = pool;
            pool = null;
        }
        Schedulers.stop(p);
        loops.forEach(ScrapeLoop::disconnect);
    }
}
