package dev.sandglass.web.api;

import dev.sandglass.query.engine.PromQLException;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A JSON answer sent as it is written (from a worker thread): a small one goes out whole with its
 * length, as before; a large one (a range query's matrix is megabytes of text) goes out in chunks
 * as the writer fills its buffer, so the server holds one chunk of it rather than the whole text
 * three times over (the growing buffer, its string, the bytes sent). A client slower than the
 * writer makes the writer wait (Vert.x's write queue is bounded), so a slow reader cannot make the
 * server buffer a whole answer either; one that goes away ends the writing.
 */
final class StreamedReply implements JsonWriter.Sink, JsonBytes.Sink {
    /** Characters buffered before a chunk is sent. */
    static final int CHUNK = 64 * 1024;

    private final HttpServerResponse response;
    /** System.nanoTime() by which a client must have taken the answer, or 0 for no bound. */
    private final java.util.function.LongSupplier deadline;
    private boolean started;
    /** Chunks taken whose writes completed, for {@link #next(int)} (offered by the event loop). */
    private final java.util.concurrent.ConcurrentLinkedQueue<byte[]> sent = new java.util.concurrent.ConcurrentLinkedQueue<>();

    StreamedReply(HttpServerResponse response) {
        this(response, () -> 0);
    }

    /**
     * With a deadline for the client to take the answer ({@link Request#sendBy}): a query keeps
     * its slot until its answer is sent (ApiHandlers), so one that stops reading must not keep
     * it for longer than the query's timeout.
     */
    StreamedReply(HttpServerResponse response, java.util.function.LongSupplier deadline) {
        this.response = response;
        this.deadline = deadline;
    }

    /** Whether part of the answer has been sent (its status can no longer change). */
    boolean started() {
        return started;
    }

    /**
     * Sends the text as the next piece: an ASCII text (a range answer, but for unusual label
     * values) goes straight into a chunk array that goes round ({@link #next(int)}), not through a
     * String and its bytes (two copies of each 64K, per chunk).
     */
    @Override
    public void write(StringBuilder text) {
        byte[] chunk = next(Math.max(text.length(), CHUNK * 3 / 2));
        if (ascii(text, chunk)) {
            send(Buffer.buffer(Unpooled.wrappedBuffer(chunk, 0, text.length())), chunk);
        } else {
            sent.offer(chunk);
            send(Buffer.buffer(text.toString()), null);
        }
    }

    /** Writes {@code text} into {@code out} (at least as long) as bytes, when every character is ASCII; false otherwise. */
    static boolean ascii(CharSequence text, byte[] out) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                return false;
            }
            out[i] = (byte) c;
        }
        return true;
    }

    /**
     * Sends a chunk of bytes as the next piece of a 200 answer; the chunk is not copied, nor
     * touched until its write completed, then it goes back to {@link #next(int)}.
     */
    @Override
    public void take(byte[] chunk, int length) {
        send(Buffer.buffer(Unpooled.wrappedBuffer(chunk, 0, length)), chunk);
    }

    /** A chunk whose write completed (the write queue is bounded, so a few go round), else a new one. */
    @Override
    public byte[] next(int size) {
        byte[] b = sent.poll();
        return b != null && b.length >= size ? b : new byte[size];
    }

    private void send(Buffer piece, byte[] chunk) {
        if (response.closed()) {
            throw new PromQLException.CanceledException("the client closed the connection while the answer was being sent");
        }
        if (!started) {
            started = true;
            response.setStatusCode(200).putHeader("Content-Type", "application/json").setChunked(true);
        }
        if (chunk == null) {
            response.write(piece);
        } else {
            response.write(piece, done -> sent.offer(chunk));
        }
        awaitDrain();
    }

    /** Sends the rest of a 200 answer, {@code rest}: the whole answer (with its length) when nothing was sent yet. */
    void end(byte[] rest) {
        if (response.closed()) {
            return;
        }
        Buffer b = Buffer.buffer(Unpooled.wrappedBuffer(rest));
        if (!started) {
            response.setStatusCode(200).putHeader("Content-Type", "application/json").end(b);
        } else {
            response.end(b);
        }
    }

    /** The whole answer at once (nothing sent before). */
    void end(int status, Buffer body) {
        if (!response.closed()) {
            response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
        }
    }

    /** Sends the rest: the whole answer when nothing was sent yet. */
    void end(int status, StringBuilder rest) {
        if (response.closed()) {
            return;
        }
        if (!started) {
            response.setStatusCode(status).putHeader("Content-Type", "application/json").end(rest.toString());
        } else {
            response.end(Buffer.buffer(rest.toString()));
        }
    }

    /** Ends a half-sent answer that failed: the connection is reset, so the client sees it broken, not complete. */
    void abort() {
        if (!response.closed()) {
            response.reset();
        }
    }

    private void awaitDrain() {
        while (response.writeQueueFull()) {
            if (response.closed()) {
                throw new PromQLException.CanceledException("the client closed the connection while the answer was being sent");
            }
            long by = deadline.getAsLong();
            if (by != 0 && System.nanoTime() - by > 0) {
                throw new PromQLException.TimeoutException("query timed out while sending the answer: the client did not read it");
            }
            CountDownLatch drained = new CountDownLatch(1);
            response.drainHandler(v -> drained.countDown());
            try {
                drained.await(100, TimeUnit.MILLISECONDS); // and look again whether the client is still there
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PromQLException.CanceledException("query canceled while sending the answer");
            }
        }
    }
}
