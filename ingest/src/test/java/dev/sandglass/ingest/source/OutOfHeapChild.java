package dev.sandglass.ingest.source;

import dev.sandglass.ingest.collect.CollectLoop;
import dev.sandglass.ingest.collect.IngestMetrics;
import dev.sandglass.ingest.demo.DemoFleet;
import dev.sandglass.ingest.registry.RegistryLocator;
import dev.sandglass.ingest.registry.RegistryReader;
import dev.sandglass.ingest.scrape.ScrapeConfigs;
import dev.sandglass.ingest.scrape.Scraper;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@link OutOfHeapTest} in a JVM with a small heap: collects a demo registry and scrapes
 * the parent's endpoint, then fills the heap until both loops run out of it, holds it a while,
 * lets it go, and prints whether collection and scraping came back by themselves. Prints nothing
 * while the heap is full (printing needs heap).
 */
public final class OutOfHeapChild {
    private OutOfHeapChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String url = args[1];
        RegistryLocator loc = new RegistryLocator(dir.resolve("home").toString(), "--msb-home", dir);
        IngestMetrics metrics = new IngestMetrics();
        SourceHealthSet health = new SourceHealthSet();
        try (DemoFleet fleet = new DemoFleet(loc, 3, 1);
             Db db = Db.open(DbOptions.defaults(dir.resolve("data")));
             CollectLoop loop = new CollectLoop(new RegistryReader(loc, 1000), db, 50, "host1", false, metrics);
             Scraper scraper = new Scraper(List.of(ScrapeConfigs.fromFlag(url + ",interval=100ms")), db, health, "test")) {
            fleet.start();
            loop.start();
            scraper.start();
            SourceHealth target = health.all().get(0);
            await(() -> metrics.samples() > 0 && target.lastSuccessMs() > 0, 30);
            System.out.println("collecting " + metrics.samples());
            System.out.flush();

            List<long[]> ballast = new ArrayList<>();
            try {
                while (true) {
                    ballast.add(new long[4096]);
                }
            } catch (OutOfMemoryError full) {
                // the heap is full: the loops' next allocations fail
            }
            // Hold it until both loops have run out of heap (counted without allocating), at most 20 s.
            long until = System.nanoTime() + 20_000_000_000L;
            while ((CollectLoop.GUARD.outOfMemoryErrors() == 0 || Scraper.GUARD.outOfMemoryErrors() == 0) && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            long collectOom = CollectLoop.GUARD.outOfMemoryErrors();
            long scrapeOom = Scraper.GUARD.outOfMemoryErrors();
            ballast = null;
            System.gc();
            long releasedMs = System.currentTimeMillis();
            long samplesAtRelease = metrics.samples();
            System.out.println("released collect_oom=" + collectOom + " scrape_oom=" + scrapeOom);
            System.out.flush();
            boolean resumed = await(() -> metrics.samples() > samplesAtRelease + 100 && target.lastSuccessMs() > releasedMs
                    && CollectLoop.GUARD.consecutiveFailures() == 0 && Scraper.GUARD.consecutiveFailures() == 0, 60);
            System.out.println((resumed ? "resumed" : "stuck") + " samples_after=" + (metrics.samples() - samplesAtRelease)
                    + " scrape_up=" + target.up() + " collect_failures_oom=" + CollectLoop.GUARD.outOfMemoryErrors());
            System.out.flush();
        }
        System.exit(0);
    }

    private static boolean await(java.util.function.BooleanSupplier cond, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
