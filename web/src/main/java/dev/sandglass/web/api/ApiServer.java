package dev.sandglass.web.api;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import dev.sandglass.web.http.BasicAuth;
import dev.sandglass.web.http.HttpErrors;
import dev.sandglass.web.http.HttpLimits;
import dev.sandglass.web.http.ReadDeadlines;
import dev.sandglass.web.http.ReadOnly;
import dev.sandglass.web.http.ServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.Set;
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

    /** The API paths a form POST may read (query and metadata), allowed under --web.read-only. */
    static final Set<String> READ_POSTS = Set.of("/api/v1/query", "/api/v1/query_range", "/api/v1/series", "/api/v1/labels",
            "/api/v1/query_exemplars", "/api/v1/read");

    private final Vertx vertx;
    private final HttpServer server;
    private final SandboxRoutes sandboxes;

    private ApiServer(Vertx vertx, HttpServer server, SandboxRoutes sandboxes) {
        this.vertx = vertx;
        this.server = server;
        this.sandboxes = sandboxes;
    }

    /** Starts listening with the default limits; returns once the port is bound. */
    public static ApiServer start(String host, int port, ApiHandlers handlers) {
        return start(host, port, handlers, HttpLimits.defaults());
    }

    /** Starts listening with more routes, registered by their own classes (kept out of this file). */
    public static ApiServer start(String host, int port, ApiHandlers handlers, java.util.function.Consumer<Router> moreRoutes) {
        return start(host, port, handlers, ServerOptions.defaults(), java.util.List.of(), moreRoutes);
    }

    /** Starts listening with the given limits; returns once the port is bound. */
    public static ApiServer start(String host, int port, ApiHandlers handlers, HttpLimits limits) {
        return start(host, port, handlers, ServerOptions.defaults().withLimits(limits));
    }

    /** Starts listening; returns once the port is bound. */
    public static ApiServer start(String host, int port, ApiHandlers handlers, ServerOptions options) {
        return start(host, port, handlers, options, java.util.List.of(), router -> { });
    }

    /** With further route groups (write, remote read, federation) that read bodies their own way. */
    public static ApiServer start(String host, int port, ApiHandlers handlers, java.util.List<RouteModule> modules) {
        return start(host, port, handlers, ServerOptions.defaults(), modules, router -> { });
    }

    /**
     * Starts listening; returns once the port is bound. {@code modules} are registered after
     * authentication and before the shared body handler; {@code moreRoutes} after the API's own.
     */
    public static ApiServer start(String host, int port, ApiHandlers handlers, ServerOptions options,
            java.util.List<RouteModule> modules, java.util.function.Consumer<Router> moreRoutes) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(Math.max(4, handlers.maxConcurrency() + 2)));
        SandboxRoutes sandboxes = null;
        try {
            HttpLimits limits = options.limits();
            HttpErrors errors = new HttpErrors(limits);
            ReadDeadlines deadlines = new ReadDeadlines(vertx, limits.readTimeoutMs());
            Router router = Router.router(vertx);
            if (options.web() != null && !options.web().users().isEmpty()) {
                router.route().handler(new BasicAuth(vertx, options.web().users())::handle);
            }
            if (options.readOnly()) {
                router.route().handler(new ReadOnly(READ_POSTS)::handle);
            }
            modules.forEach(m -> m.register(router));
            router.route().handler(BodyHandler.create().setBodyLimit(limits.maxBodyBytes()).setHandleFileUploads(false))
                    .handler(deadlines::requestRead).failureHandler(errors::failure);
            json(router, "/api/v1/query", "query", handlers, handlers::query);
            json(router, "/api/v1/query_range", "query_range", handlers, handlers::queryRange);
            json(router, "/api/v1/series", "series", handlers, handlers::series);
            json(router, "/api/v1/labels", "labels", handlers, handlers::labels);
            json(router, "/api/v1/label/:name/values", "label_values", handlers, handlers::labelValues);
            json(router, "/api/v1/metadata", "metadata", handlers, handlers::metadata);
            json(router, "/api/v1/status/buildinfo", "buildinfo", handlers, handlers::buildInfo);
            moreRoutes.accept(router);
            // serve registers its own above (sources, head); every other server answers with its loops alone.
            IngestStatusRoutes.register(router, new dev.sandglass.ingest.source.SourceHealthSet(), null, handlers::degradedReasons);
            json(router, "/api/v1/status/agent", "agent", handlers, handlers::agentStatus);
            sandboxes = SandboxRoutes.register(router, handlers);
            json(router, "/api/v1/capacity", "capacity", handlers, handlers::capacity);
            StatusHandlers status = new StatusHandlers(handlers::storageOrNull);
            json(router, "/api/v1/rules", "rules", handlers, status::rules);
            json(router, "/api/v1/alerts", "alerts", handlers, status::alerts);
            json(router, "/api/v1/query_exemplars", "query_exemplars", handlers, status::exemplars);
            json(router, "/api/v1/status/tsdb", "tsdb", handlers, status::tsdb);
            router.route("/-/healthy").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> ctx.response()
                    .putHeader("Content-Type", "text/plain; charset=utf-8").end("Sandglass is Healthy.\n"));
            router.route("/-/ready").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
                boolean ready = handlers.ready();
                ctx.response().setStatusCode(ready ? 200 : 503).putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end(ready ? "Sandglass is Ready.\n" : "Service Unavailable\n" + IngestStatusRoutes.reasonsText(handlers.degradedReasons()));
            });
            router.route("/metrics").method(HttpMethod.GET).blockingHandler(ctx -> ctx.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(handlers.metricsText()), false);
            HttpErrors.allowOnly(router, "/-/healthy", Set.of(HttpMethod.GET, HttpMethod.HEAD));
            HttpErrors.allowOnly(router, "/-/ready", Set.of(HttpMethod.GET, HttpMethod.HEAD));
            HttpErrors.allowOnly(router, "/metrics", Set.of(HttpMethod.GET));
            dev.sandglass.web.ui.UiRoutes.register(router);
            router.route("/api/*").handler(ctx -> reply(ctx, 404, new ApiError(404, "not_found", "unknown API endpoint " + ctx.request().path()).json()));
            router.route().last().handler(ctx -> ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("404 page not found\n"));
            HttpServerOptions httpOptions = limits.apply(new HttpServerOptions().setCompressionSupported(true));
            if (options.web() != null && options.web().tls()) {
                httpOptions.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(options.web().certFile().toString()).setKeyPath(options.web().keyFile().toString()));
            }
            HttpServer server = vertx.createHttpServer(httpOptions)
                    .invalidRequestHandler(errors::invalidRequest)
                    .connectionHandler(deadlines::opened)
                    .requestHandler(router)
                    .listen(port, host)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new ApiServer(vertx, server, sandboxes);
        } catch (Exception e) {
            if (sandboxes != null) {
                sandboxes.close();
            }
            vertx.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + cause.getMessage(), cause);
        }
    }

    /** A JSON endpoint: GET and form POST, run on a worker thread, errors mapped in one place. */
    static void json(Router router, String path, String name, ApiHandlers handlers, ApiHandlers.Endpoint endpoint) {
        router.route(path).method(HttpMethod.GET).method(HttpMethod.POST).blockingHandler(ctx -> {
            long t0 = System.nanoTime();
            int status = 200;
            handlers.agent.started();
            StringBuilder sb = new StringBuilder(256);
            Request request = new Request(ctx);
            StreamedReply reply = new StreamedReply(ctx.response(), request::sendDeadline);
            try {
                JsonWriter w = new JsonWriter(sb, reply, StreamedReply.CHUNK);
                w.beginObject().field("status", "success").name("data");
                endpoint.handle(request, w);
                if (!request.warnings().isEmpty()) {
                    w.name("warnings").beginArray();
                    request.warnings().forEach(w::value);
                    w.endArray();
                }
                w.endObject();
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                sb = null; // what was written is dropped first: the error may be that memory ran out
                ApiError err = ApiError.of(e);
                if (err.status() == 500 || reply.started()) {
                    LOG.error("{} {} failed", ctx.request().method(), ctx.request().uri(), e);
                }
                status = err.status();
                sb = new StringBuilder(err.json());
            }
            handlers.agent.finished();
            handlers.recordRequest(name, status, System.nanoTime() - t0);
            if (status != 200 && reply.started()) {
                reply.abort(); // part of a 200 answer went out: the client must not take it as complete
            } else {
                reply.end(status, sb);
            }
        }, false);
        HttpErrors.allowOnly(router, path, Set.of(HttpMethod.GET, HttpMethod.POST));
    }

    private static void reply(RoutingContext ctx, int status, String body) {
        if (ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }

    /** The fan-out hub behind the sandbox streams (for tests and figures). */
    public dev.sandglass.query.sandbox.LatestHub<io.vertx.core.buffer.Buffer> sandboxHub() {
        return sandboxes.hub();
    }

    /** Default fleet answers rendered off the request path so far (for tests and figures). */
    public long fleetRendererRenders() {
        return sandboxes.fleetRenderer().renders();
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        sandboxes.close();
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
