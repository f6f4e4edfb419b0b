package dev.sandglass.web.api;

import dev.sandglass.query.sandbox.SandboxStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The whole response body of the fleet list, rendered once per answer and shared: the views hand
 * out the same status objects until the store changes (or a state or the window changes), so
 * every request between two collections gets the bytes rendered by the first. A few answers are
 * kept, one per window a client asks for (e.g. the UI's and a script's).
 */
final class FleetJson {
    private static final int KEPT = 4;

    private record Rendered(List<SandboxStatus> statuses, byte[] body) {
    }

    private final Rendered[] kept = new Rendered[KEPT];
    private int next;

    /** The body {@code {"status":"success","data":[...]}} of this answer, as UTF-8. */
    byte[] body(List<SandboxStatus> statuses) {
        synchronized (this) {
            for (Rendered r : kept) {
                if (r != null && same(r.statuses, statuses)) {
                    return r.body;
                }
            }
        }
        StringBuilder sb = new StringBuilder(256 + statuses.size() * 720);
        JsonWriter w = new JsonWriter(sb);
        w.beginObject().field("status", "success").name("data").beginArray();
        for (SandboxStatus s : statuses) {
            SandboxJson.status(s, w);
        }
        w.endArray().endObject();
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            kept[next] = new Rendered(List.copyOf(statuses), body);
            next = (next + 1) % KEPT;
        }
        return body;
    }

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
