package dev.sandglass.web.api;

import dev.sandglass.query.sandbox.SandboxViews;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The default fleet list ({@code GET /api/v1/sandboxes} without {@code since}) rendered off the
 * request path: one background thread renders it right after the store changes (a collection
 * commits), so a request only writes the last rendered bytes. A request that arrives while the
 * next answer is being rendered gets the previous complete one: at most one collection old, and
 * its points carry their own timestamps. Rendered again at least every {@link #REFRESH_MS} too
 * (a state turns to stopped with time alone). An answer older than {@link #MAX_AGE_MS} (the
 * renderer fell behind) is not served: the request computes its own, as every request did
 * before. Nothing is rendered while nobody asks: the thread rests after {@link #IDLE_AFTER_MS}
 * without a request, and the next request (computing its own answer) wakes it.
 *
 * <p>Clients that accept gzip (browsers, the UI) would otherwise make the server compress the
 * same half megabyte on every request: once one asked, each answer is compressed once, here.
 */
final class FleetRenderer implements AutoCloseable {
    static final long DEFAULT_SINCE_MS = 15 * 60_000L;
    static final long MAX_AGE_MS = 2000;
    static final long REFRESH_MS = 1000;
    static final long IDLE_AFTER_MS = 10 * 60_000L;
    /** How often the store's change count is looked at (a volatile read): the most a new answer waits to be started. */
    static final long POLL_MS = 5;

    private record Rendered(Buffer body, Buffer gzip, long atMs) {
    }

    private final SandboxViews views;
    private final FleetJson json;
    private final LongSupplier changeCount;
    private final LongSupplier clock;
    private final Thread thread;
    private volatile Rendered last;
    private volatile long askedMs = Long.MIN_VALUE / 2;
    private volatile boolean resting = true;
    private volatile boolean closed;
    private volatile boolean gzipAsked;
    private long renders;

    /** {@code changeCount}: the store's ({@link dev.sandglass.storage.api.Queryable#changeCount}), -1 when unknown. */
    FleetRenderer(SandboxViews views, FleetJson json, LongSupplier changeCount, LongSupplier clock) {
        this.views = views;
        this.json = json;
        this.changeCount = changeCount;
        this.clock = clock;
        this.thread = new Thread(this::run, "sandglass-fleet-render");
        thread.setDaemon(true);
        thread.start();
    }

    /** The rendered default answer if it is recent enough, else null (the caller computes its own). */
    Buffer current() {
        return current(false);
    }

    /**
     * As {@link #current()}; {@code gzip}: the answer gzip-compressed, for a client that accepts
     * it (null until one is rendered: the caller then sends it as it is).
     */
    Buffer current(boolean gzip) {
        long now = clock.getAsLong();
        askedMs = now;
        if (gzip && !gzipAsked) {
            gzipAsked = true;
        }
        if (resting) {
            LockSupport.unpark(thread);
        }
        Rendered r = last;
        if (r == null || now - r.atMs > MAX_AGE_MS || r.atMs > now) {
            return null;
        }
        return gzip ? r.gzip : r.body;
    }

    /** Answers rendered so far (for tests and figures). */
    synchronized long renders() {
        return renders;
    }

    private void run() {
        long seen = Long.MIN_VALUE;
        long renderedAt = Long.MIN_VALUE / 2;
        while (!closed) {
            long now = clock.getAsLong();
            if (now - askedMs > IDLE_AFTER_MS) {
                last = null;
                resting = true;
                LockSupport.park(this);
                resting = false;
                seen = Long.MIN_VALUE;
                continue;
            }
            long c = changeCount.getAsLong();
            if (c != seen || now - renderedAt >= REFRESH_MS) {
                seen = c;
                renderedAt = now;
                render(now);
            }
            LockSupport.parkNanos(this, POLL_MS * 1_000_000);
        }
    }

    private void render(long now) {
        try {
            Rendered prev = last;
            Buffer body = json.body(views.fleet(now, DEFAULT_SINCE_MS));
            Buffer gzip = !gzipAsked ? null : prev != null && prev.body == body ? prev.gzip : gzip(body);
            synchronized (this) {
                renders++; // counted before it is published: a client that got this answer sees it counted
            }
            last = new Rendered(body, gzip, now);
        } catch (RuntimeException e) {
            // The store is not open yet, or closing: requests compute their own and report it.
            last = null;
        }
    }

    /** Fastest deflate: a fifth of level 6's CPU on a fleet list, for a somewhat larger answer (still a tenth of the JSON or less). */
    static Buffer gzip(Buffer body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length() / 8 + 64);
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out, 64 * 1024) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_SPEED);
            }
        }) {
            z.write(body.getBytes());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Buffer.buffer(io.netty.buffer.Unpooled.wrappedBuffer(out.toByteArray()));
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
