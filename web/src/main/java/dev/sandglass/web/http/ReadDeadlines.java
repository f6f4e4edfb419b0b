package dev.sandglass.web.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes a connection that does not deliver a whole request (headers and body) within the read
 * timeout of opening or of its previous response: half-sent requests and idle keep-alive
 * connections do not stay open. A request being answered is not timed here (the query timeout
 * bounds it).
 */
public final class ReadDeadlines {
    private final Vertx vertx;
    private final long timeoutMs;
    private final Map<HttpConnection, Long> timers = new ConcurrentHashMap<>();

    public ReadDeadlines(Vertx vertx, long timeoutMs) {
        this.vertx = vertx;
        this.timeoutMs = timeoutMs;
    }

    /** For HttpServer.connectionHandler: the clock starts when the connection opens. */
    public void opened(HttpConnection c) {
        c.closeHandler(v -> disarm(c));
        arm(c);
    }

    /** A route handler placed after the body is read: stops the clock until the response ends. */
    public void requestRead(RoutingContext ctx) {
        HttpConnection c = ctx.request().connection();
        disarm(c);
        ctx.addEndHandler(v -> {
            if (!ctx.response().closed()) {
                arm(c);
            }
        });
        ctx.next();
    }

    /** Connections whose clock is running (for tests and /metrics). */
    public int waiting() {
        return timers.size();
    }

    private void arm(HttpConnection c) {
        long id = vertx.setTimer(timeoutMs, t -> {
            if (timers.remove(c, t)) {
                c.close();
            }
        });
        Long old = timers.put(c, id);
        if (old != null) {
            vertx.cancelTimer(old);
        }
    }

    private void disarm(HttpConnection c) {
        Long id = timers.remove(c);
        if (id != null) {
            vertx.cancelTimer(id);
        }
    }
}
