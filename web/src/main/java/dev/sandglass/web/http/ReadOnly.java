package dev.sandglass.web.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * --web.read-only: only reading is served. GET, HEAD and OPTIONS pass, and so do form POSTs to
 * the query API (Prometheus clients send long queries that way); any other request, to a write
 * or admin endpoint present or future, gets 403 saying why.
 */
public final class ReadOnly {
    private final Set<String> readPosts;

    public ReadOnly(Set<String> readPosts) {
        this.readPosts = Set.copyOf(readPosts);
    }

    public void handle(RoutingContext ctx) {
        HttpMethod m = ctx.request().method();
        if (m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS
                || (m == HttpMethod.POST && readPosts.contains(ctx.normalizedPath()))) {
            ctx.next();
            return;
        }
        ctx.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("writes and admin requests are disabled on this server (--web.read-only)\n");
    }
}
