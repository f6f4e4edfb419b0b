package dev.sandglass.web.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.locks.LockSupport;

/**
 * A JSON answer written by a worker thread, whole or in pieces: the first piece sent makes the
 * response chunked, and each waits while the connection's write queue is full, so a slow client
 * holds back the writer instead of the server buffering the whole answer.
 */
final class StreamedReply {
    private final HttpServerResponse res;
    private boolean started;

    StreamedReply(HttpServerResponse res) {
        this.res = res;
    }

    /** Whether a piece was sent: an error can no longer change the status. */
    boolean started() {
        return started;
    }

    /** Sends what {@code sb} holds as the next piece and clears it. */
    void spill(StringBuilder sb) {
        if (!started) {
            started = true;
            res.setChunked(true).putHeader("Content-Type", "application/json");
        }
        waitForRoom();
        res.write(Buffer.buffer(sb.toString()));
        sb.setLength(0);
    }

    /** Sends the rest, {@code sb}, and ends the answer. */
    void end(StringBuilder sb) {
        if (started) {
            waitForRoom();
            res.end(Buffer.buffer(sb.toString()));
        } else {
            end(200, Buffer.buffer(sb.toString()));
        }
    }

    /** The whole answer at once. */
    void end(int status, Buffer body) {
        if (!res.closed()) {
            res.setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
        }
    }

    private void waitForRoom() {
        while (res.writeQueueFull()) {
            if (res.closed()) {
                throw new ClientGone();
            }
            LockSupport.parkNanos(1_000_000);
        }
        if (res.closed()) {
            throw new ClientGone();
        }
    }

    /** The client closed the connection before the answer was sent. */
    static final class ClientGone extends RuntimeException {
        ClientGone() {
            super("client closed the connection", null, false, false);
        }
    }
}
