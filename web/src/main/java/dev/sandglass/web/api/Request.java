package dev.sandglass.web.api;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** Request parameters from the query string and a form-encoded body alike, as Prometheus reads them. */
public final class Request {
    private final RoutingContext ctx;
    private final AtomicBoolean gone = new AtomicBoolean();
    private final List<String> warnings = new ArrayList<>();

    Request(RoutingContext ctx) {
        this.ctx = ctx;
        ctx.response().closeHandler(v -> gone.set(true));
    }

    /** For tests and offline use: parameters without an HTTP request. */
    Request() {
        this.ctx = null;
    }

    public String param(String name) {
        List<String> all = params(name);
        return all.isEmpty() ? null : all.get(0);
    }

    public List<String> params(String name) {
        List<String> out = new ArrayList<>();
        if (ctx != null) {
            out.addAll(ctx.request().params().getAll(name));
            out.addAll(ctx.request().formAttributes().getAll(name));
        }
        return out;
    }

    public String pathParam(String name) {
        return ctx.pathParam(name);
    }

    /** Warnings the answer carries beside its data (Prometheus's "warnings"). */
    public List<String> warnings() {
        return warnings;
    }

    /** System.nanoTime() by which the client must have taken the answer (0: no bound). */
    private volatile long sendBy;

    /** Bounds the time the client may take to read the answer: it ends at {@code nanoTime} (a query's timeout). */
    void sendBy(long nanoTime) {
        this.sendBy = nanoTime == 0 ? 1 : nanoTime;
    }

    long sendDeadline() {
        return sendBy;
    }

    /** True once the client has gone away, so long queries can stop early. */
    public boolean canceled() {
        return gone.get();
    }
}
