package dev.sandglass.web.api;

import dev.sandglass.query.sandbox.HistoryReader;
import dev.sandglass.query.sandbox.LatestHub;
import dev.sandglass.query.sandbox.RestartAnalysis;
import dev.sandglass.query.sandbox.RunEnd;
import dev.sandglass.query.sandbox.SandboxHistory;
import dev.sandglass.query.sandbox.SandboxStatus;
import dev.sandglass.query.sandbox.SandboxViews;
import dev.sandglass.storage.api.Queryable;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The sandbox views over HTTP, under /api/v1/sandboxes: thin handlers that parse parameters, ask
 * the views in query.sandbox, and write JSON (or server-sent events). Registered before the API's
 * catch-all 404.
 */
final class SandboxRoutes implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SandboxRoutes.class);
    /** Points of a stepped history (Prometheus's resolution limit). */
    static final long MAX_POINTS = 11_000;
    /** Samples of a raw history (no step): a day at 1 s, with room (see README, sandbox views). */
    static final long MAX_RAW_POINTS = 100_000;
    static final long MIN_INTERVAL_MS = 100;
    static final long MAX_INTERVAL_MS = 3_600_000;
    static final long DEFAULT_RESTARTS_SINCE_MS = 24 * 3_600_000L;

    private final ApiHandlers handlers;
    private final Queryable store;
    private final LatestHub<Buffer> hub;
    /** One for every request: it keeps the last fleet-wide answers until the store changes. */
    private final SandboxViews views;
    private final FleetJson fleetJson = new FleetJson();
    private final FleetRenderer fleetRenderer;

    private SandboxRoutes(ApiHandlers handlers) {
        this.handlers = handlers;
        // The store may open after the server starts: each read asks for it then.
        // VMM instances of the /proc source are shown next to the sandboxes (a read layer, no copy).
        this.store = dev.sandglass.query.sandbox.VmmInstances.over((minT, maxT) -> handlers.store().querier(minT, maxT));
        this.views = new SandboxViews(store);
        this.hub = new LatestHub<>(views, e -> sse(e), System::currentTimeMillis);
        this.fleetRenderer = new FleetRenderer(views, fleetJson, () -> {
            Queryable q = handlers.storageOrNull();
            return q == null ? -1 : q.changeCount();
        }, System::currentTimeMillis);
    }

    static SandboxRoutes register(Router router, ApiHandlers handlers) {
        SandboxRoutes r = new SandboxRoutes(handlers);
        router.route("/api/v1/sandboxes").method(HttpMethod.GET).method(HttpMethod.POST).handler(r::rendered)
                .blockingHandler(ctx -> r.own(ctx, "sandboxes", r::list), false);
        ApiServer.json(router, "/api/v1/restarts", "restarts", handlers, r::restarts);
        router.route("/api/v1/sandboxes/:name/metrics").method(HttpMethod.GET).method(HttpMethod.POST)
                .blockingHandler(ctx -> r.own(ctx, "sandbox_metrics", r::history), false);
        router.route("/api/v1/sandboxes/:name/prometheus").method(HttpMethod.GET).blockingHandler(r::prometheus, false);
        router.route("/api/v1/sandboxes/:name/stream").method(HttpMethod.GET).blockingHandler(r::stream, false);
        ApiServer.json(router, "/api/v1/sandboxes/:name", "sandbox", handlers, r::one);
        return r;
    }

    FleetRenderer fleetRenderer() {
        return fleetRenderer;
    }

    LatestHub<Buffer> hub() {
        return hub;
    }

    /**
     * The default fleet list (a GET without parameters), when {@link FleetRenderer} has it: its
     * bytes written on the event loop as they are, no worker thread, no read. Otherwise on to {@link #list}.
     */
    private void rendered(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.GET || ctx.request().query() != null) {
            ctx.next();
            return;
        }
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING);
        boolean gzip = accept != null && accept.contains("gzip");
        Buffer body = fleetRenderer.current(gzip);
        if (gzip && body != null) {
            // Compressed once by the renderer: the server's compressor leaves an encoded answer alone.
            ctx.response().putHeader(HttpHeaders.CONTENT_ENCODING, "gzip").putHeader(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
        } else if (gzip) {
            body = fleetRenderer.current(false); // the renderer compresses from its next answer on
        }
        if (body == null) {
            ctx.next();
            return;
        }
        long t0 = System.nanoTime();
        handlers.agent.started();
        ctx.response().putHeader("Content-Type", "application/json").end(body);
        handlers.agent.finished();
        handlers.recordRequest("sandboxes", 200, System.nanoTime() - t0);
    }

    /**
     * The fleet list, computed (other windows, or no rendered answer yet). Its answer changes once
     * per collection at most: the body is rendered once per answer (FleetJson) and its bytes
     * written as they are, instead of through {@link ApiServer#json}'s writer.
     */
    private void list(RoutingContext ctx, StreamedReply reply) {
        Request r = new Request(ctx);
        long now = System.currentTimeMillis();
        long since = r.param("since") == null ? now - FleetRenderer.DEFAULT_SINCE_MS : ApiParams.parseSince("since", r.param("since"), now);
        reply.end(200, fleetJson.body(views.fleet(now, Math.max(0, now - since))));
    }

    /**
     * An endpoint that writes its own answer ({@code body}), with the request figures and the error
     * replies of {@link ApiServer#json}.
     */
    private void own(RoutingContext ctx, String name, java.util.function.BiConsumer<RoutingContext, StreamedReply> body) {
        long t0 = System.nanoTime();
        handlers.agent.started();
        int status = 200;
        StreamedReply reply = new StreamedReply(ctx.response());
        try {
            body.accept(ctx, reply);
        } catch (dev.sandglass.query.engine.PromQLException.CanceledException e) {
            status = 499;
        } catch (RuntimeException e) {
            ApiError err = ApiError.of(e);
            if (err.status() == 500) {
                LOG.error("{} {} failed", ctx.request().method(), ctx.request().uri(), e);
            }
            status = err.status();
            if (reply.started()) {
                ctx.response().reset(); // mid-answer: the client sees a cut answer, never a truncated success
            } else {
                reply.end(status, Buffer.buffer(err.json()));
            }
        }
        handlers.agent.finished();
        handlers.recordRequest(name, status, System.nanoTime() - t0);
    }

    private void one(Request r, JsonWriter w) {
        SandboxJson.status(views.sandbox(r.pathParam("name"), System.currentTimeMillis()), w);
    }

    /** One sandbox's history: a day of raw points is ~80 MB of JSON, sent in pieces as it is written. */
    private void history(RoutingContext ctx, StreamedReply reply) {
        Request r = new Request(ctx);
        Long start = r.param("start") == null ? null : ApiParams.parseTime("start", r.param("start"));
        long end = r.param("end") == null ? System.currentTimeMillis() : ApiParams.parseTime("end", r.param("end"));
        if (start != null && end < start) {
            throw new BadParameterException("end", "end timestamp must not be before start time");
        }
        long step = r.param("step") == null ? 0 : positiveDuration(r, "step");
        SandboxHistory h = new HistoryReader(store, MAX_POINTS, MAX_RAW_POINTS).read(ctx.pathParam("name"), start, end, step);
        JsonBytes b = new JsonBytes(SandboxJson.CHUNK_BYTES, reply);
        b.raw(DATA);
        SandboxJson.history(h, b);
        reply.end(b.raw('}').toByteArray());
    }

    private static final byte[] DATA = JsonBytes.ascii("{\"status\":\"success\",\"data\":");

    private void restarts(Request r, JsonWriter w) {
        long now = System.currentTimeMillis();
        long until = r.param("until") == null ? now : ApiParams.parseTime("until", r.param("until"));
        long since = r.param("since") == null ? now - DEFAULT_RESTARTS_SINCE_MS : ApiParams.parseSince("since", r.param("since"), now);
        String sandbox = r.param("sandbox") == null || r.param("sandbox").isEmpty() ? null : r.param("sandbox");
        List<RunEnd> events = new RestartAnalysis(store).between(since, until, sandbox, now); // 404 naming a sandbox never stored
        w.beginArray();
        for (RunEnd e : events) {
            SandboxJson.runEnd(e, w);
        }
        w.endArray();
    }

    private void prometheus(RoutingContext ctx) {
        long t0 = System.nanoTime();
        try {
            String text = SandboxText.latest(store, ctx.pathParam("name"), System.currentTimeMillis());
            handlers.recordRequest("sandbox_prometheus", 200, System.nanoTime() - t0);
            ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text);
        } catch (RuntimeException e) {
            ApiError err = ApiError.of(e);
            handlers.recordRequest("sandbox_prometheus", err.status(), System.nanoTime() - t0);
            ctx.response().setStatusCode(err.status()).putHeader("Content-Type", "application/json").end(err.json());
        }
    }

    /**
     * Server-sent events: the latest point now, then one per interval from the hub (shared by every
     * subscriber of this sandbox and interval), a restart event on a new run, a stop event at the end.
     */
    private void stream(RoutingContext ctx) {
        long t0 = System.nanoTime();
        HttpServerResponse res = ctx.response();
        SandboxStatus now;
        long interval;
        try {
            String p = ctx.request().getParam("interval");
            interval = p == null ? 1000 : ApiParams.parseDuration("interval", p);
            if (interval < MIN_INTERVAL_MS || interval > MAX_INTERVAL_MS) {
                throw new BadParameterException("interval", "must be from 100ms to 1h, got \"" + p + "\"");
            }
            now = views.sandbox(ctx.pathParam("name"), System.currentTimeMillis());
        } catch (RuntimeException e) {
            ApiError err = ApiError.of(e);
            handlers.recordRequest("sandbox_stream", err.status(), System.nanoTime() - t0);
            res.setStatusCode(err.status()).putHeader("Content-Type", "application/json").end(err.json());
            return;
        }
        res.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8").putHeader("Cache-Control", "no-cache")
                .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
        String name = now.name();
        res.write(sse(new LatestHub.Event(LatestHub.Kind.POINT, name, now, null)));
        handlers.recordRequest("sandbox_stream", 200, System.nanoTime() - t0);
        if (!now.running()) {
            res.end(sse(new LatestHub.Event(LatestHub.Kind.STOP, name, now, null)));
            return;
        }
        LatestHub.Subscription sub = hub.subscribe(name, interval, now.latest().runId(), new LatestHub.Subscriber<>() {
            @Override
            public void event(Buffer text) {
                if (!res.closed() && !res.ended()) {
                    res.write(text);
                }
            }

            @Override
            public void end() {
                if (!res.closed() && !res.ended()) {
                    res.end();
                }
            }
        });
        res.closeHandler(v -> sub.cancel());
        if (res.closed()) {
            sub.cancel();
        }
    }

    /** An event's bytes as a Buffer, without a copy: one per event, written to every subscriber of its sandbox. */
    private static Buffer sse(LatestHub.Event e) {
        return Buffer.buffer(Unpooled.wrappedBuffer(SandboxJson.sse(e)));
    }

    private static long positiveDuration(Request r, String name) {
        long ms = ApiParams.parseDuration(name, r.param(name));
        if (ms <= 0) {
            throw new BadParameterException(name, "must be a positive duration, got \"" + r.param(name) + "\"");
        }
        return ms;
    }

    @Override
    public void close() {
        fleetRenderer.close();
        hub.close();
    }
}
