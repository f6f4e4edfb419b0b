package dev.sandglass.web.http;

import dev.sandglass.web.api.JsonWriter;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests that never reach a handler: malformed or oversized ones, wrong methods, failures of
 * the body reader. Each gets a status and one line saying why (JSON under /api/, as Prometheus's
 * API errors; plain text elsewhere, as Go's router), and no stack trace in the log.
 */
public final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private final HttpLimits limits;

    public HttpErrors(HttpLimits limits) {
        this.limits = limits;
    }

    /** For HttpServer.invalidRequestHandler: what Netty's decoder refused. */
    public void invalidRequest(HttpServerRequest req) {
        Throwable cause = req.decoderResult().cause();
        int status = 400;
        String why = "malformed HTTP request";
        if (cause instanceof TooLongFrameException) {
            String m = String.valueOf(cause.getMessage());
            if (m.contains("line")) {
                status = 414;
                why = "request line (method, path and query string) longer than " + limits.maxRequestLineBytes()
                        + " bytes: send a long query as a form-encoded POST";
            } else {
                status = 431;
                why = "request headers larger than " + limits.maxHeaderBytes() + " bytes";
            }
        } else if (cause != null && cause.getMessage() != null) {
            why = "malformed HTTP request: " + cause.getMessage();
        }
        LOG.debug("refused a request from {}: {}", req.remoteAddress(), why);
        // The path is not known here (the line may not have been read): plain text, as Go's server.
        send(req, status, false, why);
        req.connection().close();
    }

    /** Router failure handler: a body over the limit, a malformed form. */
    public void failure(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        String why;
        if (status == 413) {
            why = "request body larger than " + limits.maxBodyBytes() + " bytes";
        } else if (status == 500 && ctx.failure() instanceof OutOfMemoryError) {
            status = 503;
            why = dev.sandglass.web.api.ApiError.OUT_OF_MEMORY;
        } else if (status == 500) {
            why = "internal error: " + (ctx.failure() == null ? "unknown" : ctx.failure().toString());
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
        } else {
            why = ctx.failure() != null && ctx.failure().getMessage() != null
                    ? "bad request: " + ctx.failure().getMessage() : "bad request";
        }
        if (!ctx.response().ended() && !ctx.response().closed()) {
            send(ctx.request(), status, ctx.request().path().startsWith("/api/"), why);
        }
    }

    /**
     * After a path's own routes: other methods get 405 with an Allow header (Prometheus's router
     * does the same), OPTIONS gets the Allow header alone.
     */
    public static void allowOnly(Router router, String path, Set<HttpMethod> methods) {
        String allow = methods.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", ")) + ", OPTIONS";
        router.route(path).handler(ctx -> {
            ctx.response().putHeader("Allow", allow);
            if (ctx.request().method() == HttpMethod.OPTIONS) {
                ctx.response().setStatusCode(path.startsWith("/api/") ? 204 : 200).end();
                return;
            }
            ctx.response().setStatusCode(405).putHeader("Content-Type", "text/plain; charset=utf-8").end("Method Not Allowed\n");
        });
    }

    private static void send(HttpServerRequest req, int status, boolean json, String why) {
        if (json) {
            StringBuilder body = new StringBuilder(why.length() + 64);
            new JsonWriter(body).beginObject().field("status", "error").field("errorType", status == 503 ? "unavailable" : status == 500 ? "internal" : "bad_data").field("error", why).endObject();
            req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toString());
        } else {
            req.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(why + "\n");
        }
    }
}
