package dev.sandglass.web.ui;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves the web UI at {@code /} and its files under {@code /ui/}. Pages are routed in the
 * browser (after {@code #}), so the server only ever answers the fixed set of {@link UiAssets}.
 * Every file is revalidated with its ETag ({@code no-cache}: a 304 with no body when unchanged),
 * which keeps a new release's files from mixing with a cached old one; the server's compression
 * gzips them for clients that accept it.
 */
public final class UiRoutes {
    /**
     * Scripts, styles and data only from this server; uPlot sets element styles from script, which
     * 'unsafe-inline' for styles allows (no inline script is allowed).
     */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private UiRoutes() {}

    public static void register(Router router) {
        UiAssets assets = UiAssets.load();
        router.route("/").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> serve(ctx, assets));
        router.route("/ui/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> serve(ctx, assets));
    }

    private static void serve(RoutingContext ctx, UiAssets assets) {
        UiAssets.Asset a = assets.get(ctx.request().path());
        var res = ctx.response();
        if (a == null) {
            res.setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("404 page not found\n");
            return;
        }
        res.putHeader("Cache-Control", "no-cache").putHeader("ETag", a.etag()).putHeader("X-Content-Type-Options", "nosniff");
        if (a.contentType().startsWith("text/html")) {
            res.putHeader("Content-Security-Policy", CSP).putHeader("Referrer-Policy", "no-referrer");
        }
        String inm = ctx.request().getHeader("If-None-Match");
        if (inm != null && (inm.equals(a.etag()) || inm.contains(a.etag()))) {
            res.setStatusCode(304).end();
            return;
        }
        res.putHeader("Content-Type", a.contentType());
        if (ctx.request().method() == HttpMethod.HEAD) {
            res.putHeader("Content-Length", String.valueOf(a.bytes().length)).end();
        } else {
            res.end(io.vertx.core.buffer.Buffer.buffer(a.bytes()));
        }
    }
}
