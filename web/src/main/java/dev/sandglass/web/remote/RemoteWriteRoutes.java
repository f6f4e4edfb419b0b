package dev.sandglass.web.remote;

import dev.sandglass.ingest.remote.RemoteProto;
import dev.sandglass.ingest.remote.RemoteWriteIngester;
import dev.sandglass.ingest.remote.SeriesRefCache;
import dev.sandglass.ingest.remote.Snappy;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Storage;
import dev.sandglass.storage.api.StorageException;
import dev.sandglass.web.api.RouteModule;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus remote write 1.0 at {@code POST /api/v1/write}: a snappy-compressed WriteRequest.
 * As Prometheus answers: 204 when stored; 400 (not to be retried) for a body that cannot be
 * decoded and for samples that cannot be stored (bad labels, out of bounds), the rest of the batch
 * being kept; 413 over the size limit; 500 when the store fails (retried by senders).
 */
public final class RemoteWriteRoutes implements RouteModule {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteRoutes.class);

    private final Storage storage;
    private final WriteOptions options;
    private final WriteMetrics metrics;
    private final LongSupplier minValidTime;
    private final SeriesRefCache refs = new SeriesRefCache(SeriesRefCache.defaultMaxBytes());
    /** Decompressed bodies: one per core at a time is the usual concurrency. */
    private final BodyBuffers buffers = new BodyBuffers(Runtime.getRuntime().availableProcessors(), 8 << 20);
    /** Bodies as sent (snappy), read by {@link PooledBody}. */
    private final BodyBuffers sent = new BodyBuffers(Runtime.getRuntime().availableProcessors(), 8 << 20);
    private final AppenderPool appenders;

    /** {@code minValidTime}: samples older than this (unix ms, e.g. the retention cutoff) are out of bounds. */
    public RemoteWriteRoutes(Storage storage, WriteOptions options, WriteMetrics metrics, LongSupplier minValidTime) {
        this.storage = storage;
        this.options = options;
        this.metrics = metrics;
        this.minValidTime = minValidTime;
        this.appenders = AppenderPool.forEndpoint(storage);
    }

    @Override
    public void register(Router router) {
        if (options.disabled()) {
            router.route("/api/v1/write").handler(WritesDisabled::reply);
            return;
        }
        router.post("/api/v1/write").handler(PooledBody.handler(options.remoteWriteMaxBody(), sent)).blockingHandler(this::write, false);
    }

    private void write(RoutingContext ctx) {
        metrics.count(WriteMetrics.Kind.RW_REQUEST, 1);
        RemoteWriteIngester.Result r;
        byte[] body = null;
        Appender app;
        try {
            WriteBodies.Slice raw = WriteBodies.rawSlice(ctx, options.remoteWriteMaxBody());
            int n = Snappy.uncompressedLength(raw.array(), raw.from(), raw.length(), options.remoteWriteMaxBody());
            body = buffers.take(n);
            n = Snappy.uncompress(raw.array(), raw.from(), raw.length(), body);
            app = appenders.take();
            try {
                r = RemoteWriteIngester.ingest(body, 0, n, app, minValidTime.getAsLong(), refs);
            } catch (StorageException e) {
                app.rollback();
                LOG.error("storing remote write failed: {}", e.getMessage());
                text(ctx, 500, "cannot store the samples: " + e.getMessage());
                metrics.count(WriteMetrics.Kind.RW_FAILED, 1);
                return;
            } catch (RuntimeException e) {
                app.rollback();
                throw e;
            }
            try {
                app.commit();
            } catch (RuntimeException e) {
                LOG.error("storing remote write failed: {}", e.getMessage());
                text(ctx, 500, "cannot store the samples: " + e.getMessage());
                metrics.count(WriteMetrics.Kind.RW_FAILED, 1);
                return;
            }
        } catch (Snappy.TooLarge | WriteBodies.TooLarge e) {
            metrics.count(WriteMetrics.Kind.RW_FAILED, 1);
            text(ctx, 413, e.getMessage());
            return;
        } catch (IllegalArgumentException | RemoteProto.DecodeException | WriteBodies.BadBody e) {
            metrics.count(WriteMetrics.Kind.RW_FAILED, 1);
            text(ctx, 400, e.getMessage());
            return;
        } finally {
            if (body != null) {
                buffers.give(body);
            }
            PooledBody.release(ctx);
        }
        metrics.count(WriteMetrics.Kind.RW_SAMPLES, r.samples());
        metrics.count(WriteMetrics.Kind.RW_REJECTED, r.rejected());
        if (r.rejected() > 0) {
            text(ctx, 400, r.rejected() + " samples rejected, " + r.samples() + " stored; first: " + r.firstError());
        } else {
            ctx.response().setStatusCode(204).end();
        }
        app.prepareNext(); // answered: now file the batch and back up new series, off the sender's wait
        appenders.give(app, r.samples());
    }

    static void text(RoutingContext ctx, int status, String message) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(message + "\n");
    }
}
