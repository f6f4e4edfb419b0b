package dev.sandglass.web.api;

import dev.sandglass.query.sandbox.SandboxStatus;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The whole response body of the fleet list, rendered once per answer and shared: the views hand
 * out the same status objects until the store changes (or a state or the window changes), so
 * every request between two collections gets the bytes rendered by the first. A few answers are
 * kept, one per window a client asks for (e.g. the UI's and a script's).
 */
final class FleetJson {
    private static final int KEPT = 4;

    private record Rendered(List<SandboxStatus> statuses, Buffer body) {
    }

    private final Rendered[] kept = new Rendered[KEPT];
    private int next;
    /** The last body's size: the next one is about as big (one array, no growing). */
    private volatile int lastSize = 4096;

    /** The body {@code {"status":"success","data":[...]}} of this answer, as UTF-8 (written as is by every request). */
    Buffer body(List<SandboxStatus> statuses) {
        synchronized (this) {
            for (Rendered r : kept) {
                if (r != null && same(r.statuses, statuses)) {
                    return r.body;
                }
            }
        }
        JsonBytes b = new JsonBytes(Math.max(lastSize + lastSize / 16, 256 + statuses.size() * 600));
        b.raw(OPEN);
        boolean first = true;
        for (SandboxStatus s : statuses) {
            if (!first) {
                b.raw(',');
            }
            first = false;
            SandboxJson.status(s, b);
        }
        b.raw(CLOSE);
        lastSize = b.size();
        Buffer body = Buffer.buffer(Unpooled.wrappedBuffer(b.toByteArray()));
        synchronized (this) {
            kept[next] = new Rendered(List.copyOf(statuses), body);
            next = (next + 1) % KEPT;
        }
        return body;
    }

    private static final byte[] OPEN = JsonBytes.ascii("{\"status\":\"success\",\"data\":[");
    private static final byte[] CLOSE = JsonBytes.ascii("]}");

    /** The same status objects in the same order: then the same JSON. */
    private static boolean same(List<SandboxStatus> a, List<SandboxStatus> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }
}
