package dev.sandglass.web.remote;

import dev.sandglass.storage.Db;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The senders of `serve --remote-write` (one per URL), their /metrics lines, and their figures stored every 15 s. */
public final class RemoteWriteSenders implements AutoCloseable {
    static final long STORE_EVERY_MS = 15_000;
    private final List<RemoteWriteSender> senders = new ArrayList<>();
    private final List<SenderMetrics> metrics = new ArrayList<>();
    private final ScheduledExecutorService store;

    private RemoteWriteSenders(Db db, String instance) {
        store = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "remote-write-metrics");
            t.setDaemon(true);
            return t;
        });
        store.scheduleWithFixedDelay(dev.sandglass.storage.jobs.LoopGuard.named("remote-write figures").wrap(() -> storeFigures(db, instance)),
                STORE_EVERY_MS, STORE_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    public static RemoteWriteSenders start(Db db, List<String> urls, String user, Path passwordFile, Path tokenFile,
            Map<String, String> headers, Path stateDir, String instance) {
        RemoteWriteSenders all = new RemoteWriteSenders(db, instance);
        for (String url : urls) {
            RemoteWriteTarget t = new RemoteWriteTarget(URI.create(url), user, passwordFile, tokenFile, headers, 100, 5_000, 2_000);
            SenderMetrics m = new SenderMetrics(url);
            all.metrics.add(m);
            all.senders.add(new RemoteWriteSender(db, t, stateDir, m));
        }
        return all;
    }

    public void writePrometheusText(StringBuilder out) {
        for (SenderMetrics m : metrics) {
            m.writePrometheusText(out);
        }
    }

    /** The senders' figures as samples of job="sandglass", so their history is queryable too. */
    void storeFigures(Db db, String instance) {
        if (metrics.isEmpty()) {
            return;
        }
        try {
            long now = System.currentTimeMillis();
            Appender a = db.appender();
            for (SenderMetrics m : metrics) {
                add(a, "sandglass_remote_write_sent_samples_total", m, instance, now, m.sent());
                add(a, "sandglass_remote_write_failed_samples_total", m, instance, now, m.failed());
                add(a, "sandglass_remote_write_retried_samples_total", m, instance, now, m.retried());
                add(a, "sandglass_remote_write_pending_samples", m, instance, now, m.pending.get());
                add(a, "sandglass_remote_write_lag_seconds", m, instance, now, m.lagSeconds(now));
            }
            a.commit();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(RemoteWriteSenders.class).warn("storing remote-write figures: {}", e.getMessage());
        }
    }

    private static void add(Appender a, String name, SenderMetrics m, String instance, long t, double v) {
        a.append(a.seriesRef(Labels.of("__name__", name, "job", "sandglass", "instance", instance, "url", m.url())), t, v);
    }

    @Override
    public void close() {
        store.shutdownNow();
        senders.forEach(RemoteWriteSender::close);
    }
}
