package dev.sandglass.web.otlp;

import com.google.protobuf.CodedOutputStream;
import dev.sandglass.ingest.otlp.OtlpCodec;
import dev.sandglass.ingest.otlp.OtlpProtoReader;
import dev.sandglass.ingest.otlp.OtlpSeriesCache;
import dev.sandglass.ingest.otlp.OtlpTranslator;
import dev.sandglass.ingest.remote.SeriesRefCache;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Storage;
import dev.sandglass.web.api.RouteModule;
import dev.sandglass.web.remote.AppenderPool;
import dev.sandglass.web.remote.BodyBuffers;
import dev.sandglass.web.remote.PooledBody;
import dev.sandglass.web.remote.WriteBodies;
import dev.sandglass.web.remote.WriteMetrics;
import dev.sandglass.web.remote.WriteOptions;
import dev.sandglass.web.remote.WritesDisabled;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP metrics at {@code POST /v1/metrics} and {@code POST /api/v1/otlp/v1/metrics} (the
 * path Prometheus uses). Answers as the OTLP/HTTP spec says: 200 with a partial-success body
 * when some points were rejected, 400 for a body that cannot be decoded, 413 over the size limit,
 * 415 for another content type, 503 when the store cannot take the batch (retryable); errors
 * carry a google.rpc.Status body in the request's encoding.
 */
public final class OtlpRoutes implements RouteModule {
    private static final Logger LOG = LoggerFactory.getLogger(OtlpRoutes.class);
    public static final String[] PATHS = {"/v1/metrics", "/api/v1/otlp/v1/metrics"};

    private final Storage storage;
    private final WriteOptions options;
    private final WriteMetrics metrics;
    private final OtlpSeriesCache series = new OtlpSeriesCache(1 << 20);
    private final AppenderPool appenders;
    private final SeriesRefCache refs = new SeriesRefCache(SeriesRefCache.defaultMaxBytes());
    /** Gunzipped bodies: one per core at a time is the usual concurrency. */
    private final BodyBuffers buffers = new BodyBuffers(Runtime.getRuntime().availableProcessors(), 8 << 20);
    /** Bodies as sent, read by {@link PooledBody}. */
    private final BodyBuffers sent = new BodyBuffers(Runtime.getRuntime().availableProcessors(), 8 << 20);

    public OtlpRoutes(Storage storage, WriteOptions options, WriteMetrics metrics) {
        this.storage = storage;
        this.appenders = AppenderPool.forEndpoint(storage);
        this.options = options;
        this.metrics = metrics;
    }

    @Override
    public void register(Router router) {
        for (String path : PATHS) {
            if (options.disabled()) {
                router.route(path).handler(ctx -> WritesDisabled.reply(ctx));
                continue;
            }
            router.post(path).handler(PooledBody.handler(options.otlpMaxBody(), sent)).blockingHandler(this::export, false);
        }
    }

    private void export(RoutingContext ctx) {
        metrics.count(WriteMetrics.Kind.OTLP_REQUEST, 1);
        String type = WriteBodies.mediaType(ctx);
        boolean json = type.equals("application/json");
        if (!json && !type.equals("application/x-protobuf") && !type.equals("application/protobuf")) {
            PooledBody.release(ctx);
            fail(ctx, 415, false, "unsupported content type \"" + type + "\": send application/x-protobuf or application/json");
            return;
        }
        OtlpTranslator.Result result;
        Appender app;
        WriteBodies.Slice body = null;
        try {
            body = WriteBodies.slice(ctx, options.otlpMaxBody(), buffers);
            // JSON goes through the generated messages; protobuf is read in place.
            var request = json ? OtlpCodec.decode(Arrays.copyOfRange(body.array(), body.from(), body.to()), true) : null;
            app = appenders.take();
            try {
                result = json ? OtlpTranslator.translate(request, app, series)
                        : OtlpProtoReader.translate(body.array(), body.from(), body.to(), app, refs);
            } catch (RuntimeException e) {
                app.rollback();
                throw e;
            }
            try {
                app.commit();
            } catch (RuntimeException e) {
                LOG.error("storing OTLP export failed: {}", e.getMessage());
                fail(ctx, 503, json, "cannot store the export: " + e.getMessage());
                return;
            }
        } catch (WriteBodies.TooLarge e) {
            fail(ctx, 413, json, e.getMessage() + " (--otlp.max-body)");
            return;
        } catch (WriteBodies.BadBody | OtlpCodec.DecodeException e) {
            fail(ctx, 400, json, e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.error("storing OTLP export failed: {}", e.getMessage());
            fail(ctx, 503, json, "cannot store the export: " + e.getMessage());
            return;
        } finally {
            if (body != null && body.pooled()) {
                buffers.give(body.array());
            }
            PooledBody.release(ctx);
        }
        metrics.count(WriteMetrics.Kind.OTLP_SAMPLES, result.samples());
        metrics.count(WriteMetrics.Kind.OTLP_REJECTED, result.rejectedPoints());
        ctx.response().setStatusCode(200).putHeader("Content-Type", json ? "application/json" : "application/x-protobuf")
                .end(Buffer.buffer(OtlpCodec.response(result, json)));
        app.prepareNext(); // answered: now file the batch and back up new series, off the sender's wait
        appenders.give(app, result.samples());
    }

    private void fail(RoutingContext ctx, int status, boolean json, String message) {
        metrics.count(WriteMetrics.Kind.OTLP_FAILED, 1);
        byte[] body = json ? statusJson(status, message) : statusProto(status, message);
        ctx.response().setStatusCode(status).putHeader("Content-Type", json ? "application/json" : "application/x-protobuf")
                .end(Buffer.buffer(body));
    }

    /** gRPC code for an HTTP status, as google.rpc.Status carries it. */
    private static int grpcCode(int status) {
        return switch (status) {
            case 400 -> 3; // INVALID_ARGUMENT
            case 413 -> 8; // RESOURCE_EXHAUSTED
            case 503 -> 14; // UNAVAILABLE
            case 404 -> 12; // UNIMPLEMENTED
            default -> 3;
        };
    }

    static byte[] statusProto(int status, String message) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream o = CodedOutputStream.newInstance(bytes);
            o.writeInt32(1, grpcCode(status));
            o.writeString(2, message);
            o.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("BUG: " + e.getMessage(), e);
        }
    }

    static byte[] statusJson(int status, String message) {
        StringBuilder sb = new StringBuilder("{\"code\":").append(grpcCode(status)).append(",\"message\":");
        dev.sandglass.web.api.JsonWriter w = new dev.sandglass.web.api.JsonWriter(sb);
        w.value(message);
        sb.append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
