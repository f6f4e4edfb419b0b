package dev.sandglass.web.api;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Prometheus's API paths on Vert.x. Every route goes through one wrapper that
 * runs the handler on a worker thread, writes JSON or the mapped error, and records per-handler
 * request metrics; the handlers themselves live in {@link ApiHandlers}.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final Vertx vertx;
    private final HttpServer server;

    private ApiServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Starts listening; returns once the port is bound. */
    public static ApiServer start(String host, int port, ApiHandlers handlers) {
        return start(host, port, handlers, java.util.List.of());
    }

    /** As {@link #start(String, int, ApiHandlers)}, with further route groups (write, remote read, federation). */
    public static ApiServer start(String host, int port, ApiHandlers handlers, java.util.List<RouteModule> modules) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(Math.max(4, handlers.maxConcurrency() + 2)));
        try {
            Router router = Router.router(vertx);
            modules.forEach(m -> m.register(router));
            router.route().handler(BodyHandler.create().setBodyLimit(16L << 20).setHandleFileUploads(false));
            json(router, "/api/v1/query", "query", handlers, handlers::query);
            json(router, "/api/v1/query_range", "query_range", handlers, handlers::queryRange);
            json(router, "/api/v1/series", "series", handlers, handlers::series);
            json(router, "/api/v1/labels", "labels", handlers, handlers::labels);
            json(router, "/api/v1/label/:name/values", "label_values", handlers, handlers::labelValues);
            json(router, "/api/v1/metadata", "metadata", handlers, handlers::metadata);
            json(router, "/api/v1/status/buildinfo", "buildinfo", handlers, handlers::buildInfo);
            router.route("/-/healthy").handler(ctx -> ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("Sandglass is Healthy.\n"));
            router.route("/-/ready").handler(ctx -> {
                boolean ready = handlers.ready();
                ctx.response().setStatusCode(ready ? 200 : 503).putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end(ready ? "Sandglass is Ready.\n" : "Service Unavailable\n");
            });
            router.route("/metrics").blockingHandler(ctx -> ctx.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(handlers.metricsText()), false);
            router.route("/api/*").handler(ctx -> reply(ctx, 404, new ApiError(404, "not_found", "unknown API endpoint " + ctx.request().path()).json()));
            router.route().last().handler(ctx -> ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("404 page not found\n"));
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true))
                    .requestHandler(router)
                    .listen(port, host)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new ApiServer(vertx, server);
        } catch (Exception e) {
            vertx.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + cause.getMessage(), cause);
        }
    }

    /** A JSON endpoint: GET and form POST, run on a worker thread, errors mapped in one place. */
    private static void json(Router router, String path, String name, ApiHandlers handlers, ApiHandlers.Endpoint endpoint) {
        router.route(path).method(HttpMethod.GET).method(HttpMethod.POST).blockingHandler(ctx -> {
            long t0 = System.nanoTime();
            int status = 200;
            String body;
            try {
                StringBuilder sb = new StringBuilder(256);
                JsonWriter w = new JsonWriter(sb);
                w.beginObject().field("status", "success").name("data");
                endpoint.handle(new Request(ctx), w);
                w.endObject();
                body = sb.toString();
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                ApiError err = ApiError.of(e);
                if (err.status() == 500) {
                    LOG.error("{} {} failed", ctx.request().method(), ctx.request().uri(), e);
                }
                status = err.status();
                body = err.json();
            }
            handlers.recordRequest(name, status, System.nanoTime() - t0);
            reply(ctx, status, body);
        }, false);
    }

    private static void reply(RoutingContext ctx, int status, String body) {
        if (ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("closing HTTP server: {}", e.toString());
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("closing Vert.x: {}", e.toString());
        }
    }
}
