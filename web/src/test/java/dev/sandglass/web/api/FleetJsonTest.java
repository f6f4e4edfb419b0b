package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sandglass.query.sandbox.SandboxField;
import dev.sandglass.query.sandbox.SandboxPoint;
import dev.sandglass.query.sandbox.SandboxStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet list's body is rendered once per answer: the same status objects get the same bytes, others are rendered anew. */
class FleetJsonTest {
    private static SandboxStatus status(String name, long t, double mem) {
        double[] v = new double[SandboxField.all().length];
        Arrays.fill(v, Double.NaN);
        v[SandboxField.MEMORY_BYTES.ordinal()] = mem;
        return new SandboxStatus(name, true, t, new SandboxPoint(name, t, "1", "2", v, null));
    }

    @Test
    void sameAnswerSameBytesNewAnswerRenderedAgain() {
        FleetJson json = new FleetJson();
        SandboxStatus a = status("sbx-a", 1_800_000_000_000L, 100);
        SandboxStatus b = status("sbx-b", 1_800_000_000_000L, 200);
        io.vertx.core.buffer.Buffer first = json.body(List.of(a, b));
        // Another list (the views build one per call) holding the same statuses: the same bytes.
        assertSame(first, json.body(new ArrayList<>(List.of(a, b))));
        String text = first.toString(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        JsonWriter w = new JsonWriter(sb).beginObject().field("status", "success").name("data").beginArray();
        SandboxJson.status(a, w);
        SandboxJson.status(b, w);
        w.endArray().endObject();
        assertEquals(sb.toString(), text, "what ApiServer.json would have written");
        // A new sample of sbx-b (a new status object): rendered again, with the new value.
        io.vertx.core.buffer.Buffer next = json.body(List.of(a, status("sbx-b", 1_800_000_001_000L, 300)));
        assertNotSame(first, next);
        String nextText = next.toString(StandardCharsets.UTF_8);
        assertEquals(text.replace("\"memory_bytes\":200", "\"memory_bytes\":300"), nextText.replace("08:00:01.000Z", "08:00:00.000Z"));
        // The earlier answer is still kept (one per window a client asks for).
        assertSame(first, json.body(List.of(a, b)));
    }
}
