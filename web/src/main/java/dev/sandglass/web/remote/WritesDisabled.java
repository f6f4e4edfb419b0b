package dev.sandglass.web.remote;

import io.vertx.ext.web.RoutingContext;

/** The answer of every write endpoint when the server runs with --web.disable-write. */
public final class WritesDisabled {
    private WritesDisabled() {
    }

    public static void reply(RoutingContext ctx) {
        ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("writes are disabled on this server (started with --web.disable-write)\n");
    }
}
