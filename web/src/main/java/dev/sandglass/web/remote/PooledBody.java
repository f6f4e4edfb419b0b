package dev.sandglass.web.remote;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a write request's body into one array taken from {@link BodyBuffers}, sized by its
 * Content-Length, in place of Vert.x's BodyHandler for the write endpoints: BodyHandler starts at
 * most 64 KB and doubles, so a 556 KB OTLP export was copied four times into five arrays up to
 * 1 MB, the largest allocation of the whole ingestion path in a JFR profile (750 MB of the 3.4 GB a
 * protocols bench allocated). Same answers as BodyHandler: 413 as soon as the body is known to be
 * over {@code max} (declared or counted), 417 for an Expect other than 100-continue, a
 * 100 Continue written when asked. The handler after it reads the body with
 * {@link WriteBodies#rawSlice} and calls {@link #release} when done with it.
 */
public final class PooledBody {
    private static final String KEY = PooledBody.class.getName();

    private final RoutingContext ctx;
    private final long max;
    private final BodyBuffers buffers;
    private byte[] array;
    private int length;
    private boolean failed;

    private PooledBody(RoutingContext ctx, long max, BodyBuffers buffers, long declared) {
        this.ctx = ctx;
        this.max = max;
        this.buffers = buffers;
        this.array = buffers.take((int) Math.max(declared, 0));
    }

    /** A route handler that reads the body (at most {@code max} bytes) into an array of {@code buffers}, then calls the next. */
    public static io.vertx.core.Handler<RoutingContext> handler(long max, BodyBuffers buffers) {
        return ctx -> collect(ctx, max, buffers);
    }

    private static void collect(RoutingContext ctx, long max, BodyBuffers buffers) {
        HttpServerRequest req = ctx.request();
        long declared = contentLength(req);
        if (req.version() != HttpVersion.HTTP_2 && !req.headers().contains(HttpHeaders.TRANSFER_ENCODING) && declared < 0) {
            ctx.next(); // no body
            return;
        }
        if (declared > max) {
            ctx.fail(413);
            return;
        }
        String expect = req.getHeader(HttpHeaders.EXPECT);
        if (expect != null) {
            if (!expect.equalsIgnoreCase("100-continue")) {
                ctx.fail(417);
                return;
            }
            if (req.version() != HttpVersion.HTTP_1_0) {
                ctx.response().writeContinue();
            }
        }
        if (req.isEnded()) {
            ctx.next();
            return;
        }
        PooledBody body = new PooledBody(ctx, max, buffers, declared);
        ctx.put(KEY, body);
        req.handler(body::chunk);
        req.endHandler(v -> body.end());
        req.resume();
    }

    private void chunk(Buffer chunk) {
        if (failed) {
            return;
        }
        int n = chunk.length();
        if ((long) length + n > max) {
            failed = true;
            release(ctx);
            ctx.fail(413);
            return;
        }
        if (length + n > array.length) {
            byte[] bigger = buffers.take((int) Math.min(max, Math.max(2L * array.length, (long) length + n)));
            System.arraycopy(array, 0, bigger, 0, length);
            buffers.give(array);
            array = bigger;
        }
        chunk.getBytes(0, n, array, length);
        length += n;
    }

    private void end() {
        if (!failed) {
            ctx.next();
        }
    }

    /** The body read for this request ({@code null} when none was: no body, or another handler read it). */
    static WriteBodies.Slice slice(RoutingContext ctx) {
        PooledBody body = ctx.get(KEY);
        return body == null || body.array == null ? null : new WriteBodies.Slice(body.array, 0, body.length, false);
    }

    /** Gives the body's array back to its pool: the handler is done with it (later calls do nothing). */
    public static void release(RoutingContext ctx) {
        PooledBody body = ctx.remove(KEY);
        if (body != null && body.array != null) {
            body.buffers.give(body.array);
            body.array = null;
        }
    }

    private static long contentLength(HttpServerRequest req) {
        String s = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (s == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(s.trim());
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
