package dev.sandglass.ingest.scrape;

import dev.sandglass.ingest.bulk.SeriesText;
import dev.sandglass.ingest.source.SourceHealth;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Label;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Values;
import java.nio.charset.StandardCharsets;

/**
 * Scrapes one target with Prometheus 2.42's semantics: samples without a timestamp get the
 * scrape's (aligned to the interval when within 2 ms of it, as Prometheus does), target labels are
 * attached (a scraped label that clashes becomes {@code exported_<name>} unless honor_labels),
 * series that were in the last scrape and are missing now get a staleness marker (all of them
 * when the scrape fails), and {@code up}, {@code scrape_duration_seconds},
 * {@code scrape_samples_scraped}, {@code scrape_samples_post_metric_relabeling} and
 * {@code scrape_series_added} are written beside. Each scrape is one durable commit. One thread at
 * a time (the methods are synchronized).
 */
public final class ScrapeLoop {
    /** Accepts 0.0.4 text and OpenMetrics, preferring OpenMetrics, exactly as Prometheus 2.42 asks. */
    public static final String ACCEPT = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
            + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    static final long TIMESTAMP_TOLERANCE_MS = 2;
    /**
     * An explicit timestamp this much older than the scrape is dropped, as Prometheus 2.42's head
     * drops samples older than its newest time minus half a block (1 h): "out of bounds".
     */
    static final long OUT_OF_BOUNDS_MS = 3_600_000L;
    private static final String[] REPORT = {"up", "scrape_duration_seconds", "scrape_samples_scraped",
        "scrape_samples_post_metric_relabeling", "scrape_series_added"};

    private final ScrapeTarget target;
    private final ScrapeClient client;
    private final Appender appender;
    private final SourceHealth health;
    private final SeriesCache cache = new SeriesCache();
    private final Http1Connection conn = new Http1Connection();
    /** The last scrape that succeeded, whose series are live (-1: none, or it failed since). */
    private int lastGoodIter = -1;
    private final long[] reportRefs = new long[REPORT.length];
    private int iter;
    private long alignedMs = Long.MIN_VALUE;
    private long lastScrapeMs = Long.MIN_VALUE;
    private boolean stopped;

    public ScrapeLoop(ScrapeTarget target, ScrapeClient client, Appender appender, SourceHealth health) {
        this.target = target;
        this.client = client;
        this.appender = appender;
        this.health = health;
        java.util.Arrays.fill(reportRefs, -1);
    }

    public ScrapeTarget target() {
        return target;
    }

    public SourceHealth health() {
        return health;
    }

    /** The timestamp this scrape's samples get: the interval's tick when within the tolerance. */
    long scrapeTime(long nowMs) {
        if (alignedMs == Long.MIN_VALUE) {
            alignedMs = nowMs;
        }
        if (target.intervalMs() > 100 * TIMESTAMP_TOLERANCE_MS) {
            while (nowMs - alignedMs >= target.intervalMs()) {
                alignedMs += target.intervalMs();
            }
            if (nowMs - alignedMs <= TIMESTAMP_TOLERANCE_MS) {
                return alignedMs;
            }
        }
        return nowMs;
    }

    /** One scrape: fetch, parse, append, stale-mark, report, commit. Never throws for the target's faults. */
    public synchronized void scrapeOnce() {
        if (stopped) {
            return;
        }
        long startNanos = System.nanoTime();
        long t = scrapeTime(System.currentTimeMillis());
        if (t <= lastScrapeMs) {
            t = lastScrapeMs + 1;
        }
        lastScrapeMs = t;
        int[] counts = new int[2]; // scraped, added series
        ScrapeException failure = null;
        Error fatal = null;
        try {
            ScrapeClient.Response r = client.fetch(target, conn);
            append(r, t, counts);
        } catch (ScrapeException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new ScrapeException("store", "storing the scrape failed: " + e.getMessage());
        } catch (Error e) {
            // Out of heap part way: the batch goes (nothing of it is durable) and the scrape counts
            // as failed, as Prometheus counts one it could not finish; the Error goes on to the
            // scrape pool's guard (logged with its cause, backed off) once the failure is recorded.
            appender.rollback();
            conn.close(); // it may be part way through an answer: the next scrape opens a new one
            fatal = e;
            failure = e instanceof OutOfMemoryError ? OUT_OF_MEMORY : new ScrapeException("error", "scraping failed: " + e);
        }
        try {
            if (failure != null) {
                appender.rollback();
                counts[1] = 0;
            }
            staleMissing(t, failure == null);
            double duration = (System.nanoTime() - startNanos) / 1e9;
            if (failure == null) {
                health.succeeded(t);
            } else {
                health.failed(failure.reason(), failure.getMessage() + "; retrying every " + target.intervalMs() / 1000.0 + "s");
            }
            report(t, failure == null ? 1 : 0, duration, counts[0], counts[1]);
            health.appendTo(appender, t);
            appender.commit();
        } catch (RuntimeException e) {
            appender.rollback();
            health.failed("store", "storing the scrape failed: " + e.getMessage() + "; check the data dir's disk");
        } catch (Error e) {
            appender.rollback(); // nothing written of this scrape: its series go on at the next one
            fatal = fatal == null ? e : fatal;
        } finally {
            iter++; // always a new iteration: series marked seen in a failed one must not look seen in the next
        }
        if (fatal != null) {
            throw fatal;
        }
        prepareNext();
    }

    /** Made once: a scrape that ran out of heap must not need heap to say so. */
    private static final ScrapeException OUT_OF_MEMORY = new ScrapeException("out_of_memory",
            "out of heap while scraping (the heap is too small for the series scraped: give serve a larger --memory.limit)");

    /** After the commit, outside the scrape: lets the store file the batch and pre-fault its log (loses nothing if it fails). */
    private void prepareNext() {
        try {
            appender.prepareNext();
        } catch (RuntimeException e) {
            // The batch is durable; a querier files it itself. Nothing to report per scrape.
        }
    }

    private void append(ScrapeClient.Response r, long t, int[] counts) {
        boolean om = ExpositionParser.isOpenMetrics(r.contentType());
        int[] added = new int[1];
        int total;
        try {
            total = ExpositionParser.parse(r.body(), r.length(), om, (b, s, e, v, hasTs, ts) -> {
                boolean explicit = hasTs && target.honorTimestamps();
                if (explicit && ts < t - OUT_OF_BOUNDS_MS) {
                    return; // Prometheus's head refuses it as out of bounds, before making the series
                }
                int h = SeriesCache.hash(b, s, e);
                int en = cache.find(b, s, e, h);
                if (en < 0) {
                    Labels scraped;
                    try {
                        scraped = SeriesText.parse(b, s, e);
                    } catch (IllegalArgumentException ex) {
                        throw new ScrapeException("parse", "\"" + new String(b, s, e - s, StandardCharsets.UTF_8) + "\": " + ex.getMessage());
                    }
                    en = cache.add(b, s, e, h, appender.seriesRef(targetLabels(scraped)), !explicit);
                    added[0]++;
                }
                if (cache.lastIter(en) == iter) {
                    return; // the same series twice in one scrape: Prometheus keeps the first
                }
                cache.see(en, iter);
                appender.append(cache.ref(en), explicit ? ts : t, v);
            });
        } catch (ScrapeException e) {
            throw new ScrapeException(e.reason(), e.getMessage()
                    + "; the endpoint must serve Prometheus text (0.0.4) or OpenMetrics");
        }
        counts[0] = total;
        counts[1] = added[0];
    }

    /**
     * Series of the last good scrape missing from this one (all of them when this one failed)
     * end with a staleness marker at {@code t}; explicitly timestamped series never do. After a
     * success, the series not seen are forgotten (Prometheus's cache flush).
     */
    private void staleMissing(long t, boolean success) {
        if (lastGoodIter >= 0) {
            for (int en = 0, n = cache.size(); en < n; en++) {
                if (!cache.tracked(en)) {
                    continue;
                }
                int seen = cache.lastIter(en);
                boolean wasLive = seen == lastGoodIter || seen == iter && cache.prevIter(en) == lastGoodIter;
                if (wasLive && !(success && seen == iter)) {
                    appender.append(cache.ref(en), t, Values.STALE_NAN);
                }
            }
        }
        if (success) {
            lastGoodIter = iter;
            cache.retainSeenIn(iter);
        } else {
            lastGoodIter = -1;
        }
    }

    /** Scraped labels with the target's: clashes renamed to exported_* unless honor_labels. */
    Labels targetLabels(Labels scraped) {
        Labels.Builder b = scraped.builder();
        for (Label l : target.labels()) {
            String existing = scraped.get(l.name());
            if (target.honorLabels()) {
                if (existing.isEmpty()) {
                    b.set(l.name(), l.value());
                }
            } else {
                if (!existing.isEmpty()) {
                    b.set("exported_" + l.name(), existing);
                }
                b.set(l.name(), l.value());
            }
        }
        return b.build();
    }

    private void report(long t, double up, double duration, int scraped, int seriesAdded) {
        double[] v = {up, duration, scraped, scraped, seriesAdded};
        for (int i = 0; i < REPORT.length; i++) {
            if (reportRefs[i] < 0) {
                reportRefs[i] = appender.seriesRef(target.labels().builder().set(Labels.METRIC_NAME, REPORT[i]).build());
            }
            appender.append(reportRefs[i], t, v[i]);
        }
    }

    /**
     * The target was removed: every series of the last scrape and the report series end with a
     * staleness marker, so instant queries stop showing them at once instead of five minutes
     * later. Not called when Sandglass itself stops: like Prometheus, a restart continues the
     * series.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        conn.close();
        if (lastScrapeMs == Long.MIN_VALUE) {
            return;
        }
        long t = Math.max(System.currentTimeMillis(), lastScrapeMs + 1);
        try {
            iter++;
            staleMissing(t, false);
            for (long ref : reportRefs) {
                if (ref >= 0) {
                    appender.append(ref, t, Values.STALE_NAN);
                }
            }
            appender.commit();
        } catch (RuntimeException e) {
            appender.rollback();
        }
    }

    /** Closes the target's connection (Sandglass stops: no staleness markers, see {@link Scraper#close()}). */
    synchronized void disconnect() {
        conn.close();
    }
}
