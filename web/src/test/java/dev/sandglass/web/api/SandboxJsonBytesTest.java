package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.sandbox.LatestHub;
import dev.sandglass.query.sandbox.SandboxField;
import dev.sandglass.query.sandbox.SandboxHistory;
import dev.sandglass.query.sandbox.SandboxPoint;
import dev.sandglass.query.sandbox.SandboxStatus;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The byte-level JSON of the sandbox views gives the very bytes the text writer gave: the golden
 * file was written by the StringBuilder forms before they were replaced (fleet statuses, a history
 * with rates, a gap and a restart, the three SSE events), with awkward values on purpose (-0,
 * 1e21, 1e-7, infinities, escapes, non-ASCII names, ids that are not ints, dates before 1970 and
 * after 9999).
 */
class SandboxJsonBytesTest {
    static SandboxPoint point(String name, long t, String id, String run, boolean rates, double... vals) {
        double[] v = new double[SandboxField.all().length];
        Arrays.fill(v, Double.NaN);
        System.arraycopy(vals, 0, v, 0, Math.min(vals.length, v.length));
        double[] r = null;
        if (rates) {
            r = new double[v.length];
            Arrays.fill(r, Double.NaN);
            r[SandboxField.DISK_READ_BYTES.ordinal()] = 4096;
            r[SandboxField.NET_TX_BYTES.ordinal()] = 0.1 + 0.2;
            r[SandboxField.VCPU_SECONDS.ordinal()] = 1e-7;
        }
        return new SandboxPoint(name, t, id, run, v, r);
    }

    private static List<SandboxStatus> statuses() {
        return List.of(
                new SandboxStatus("sbx-a", true, 1_800_000_000_123L, point("sbx-a", 1_800_000_000_123L, "1", "1000", false, 57.00000000000001,
                        268435456, 2147483648.0, 4096, -0.0, 0, 1e21, 3.5, 1e-7, 123456789012345678.0, Double.POSITIVE_INFINITY, 0.25)),
                new SandboxStatus("n\u00e9v \"q\"\u2028", false, -1000L, point("n\u00e9v \"q\"\u2028", -1000L, "abc", null, false, 1, 2)),
                new SandboxStatus("sbx-c", true, 253402300799999L, point("sbx-c", 253402300799999L, null, "007", false)));
    }

    @Test
    void sameBytesAsTheTextFormsGave() throws Exception {
        List<String> golden;
        try (InputStream in = getClass().getResourceAsStream("sandbox-json-golden.txt")) {
            golden = Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1));
        }
        JsonBytes fleet = new JsonBytes(64).raw('[');
        List<SandboxStatus> st = statuses();
        for (int i = 0; i < st.size(); i++) {
            if (i > 0) {
                fleet.raw(',');
            }
            SandboxJson.status(st.get(i), fleet);
        }
        assertEquals(golden.get(0), utf8(fleet.raw(']').toByteArray()));

        SandboxHistory h = new SandboxHistory("sbx-a", 1_800_000_000_000L, 1_800_000_100_000L, 500, 1000,
                List.of(point("sbx-a", 1_800_000_000_000L, "1", "5", true, 1.5, 2), point("sbx-a", 1_800_000_086_400_000L, "1", "6", true, 3)),
                List.of(new SandboxHistory.Gap(1_800_000_001_000L, 1_800_000_004_500L)),
                List.of(new SandboxHistory.Restart(1_800_000_001_000L, 1_800_000_004_500L, "5", "x6")));
        JsonBytes hb = new JsonBytes(16).raw(JsonBytes.ascii("{\"status\":\"success\",\"data\":"));
        SandboxJson.history(h, hb);
        assertEquals(golden.get(1), utf8(hb.raw('}').toByteArray()));

        StringBuilder events = new StringBuilder();
        for (LatestHub.Kind k : LatestHub.Kind.values()) {
            events.append(utf8(SandboxJson.sse(new LatestHub.Event(k, "sbx-a", st.get(0), "999"))));
        }
        events.append(utf8(SandboxJson.sse(new LatestHub.Event(LatestHub.Kind.STOP, "sbx-a", null, null))));
        assertEquals(String.join("\n", golden.subList(2, golden.size())), events.toString());
        // The text writer's form of one status (GET /api/v1/sandboxes/{name}) is the same too.
        StringBuilder sb = new StringBuilder();
        SandboxJson.status(st.get(1), new JsonWriter(sb));
        assertTrue(golden.get(0).contains(sb), sb.toString());
    }

    @Test
    void numbersTimesStringsAndIdsAsTheirTextForms() {
        SplittableRandom rnd = new SplittableRandom(7);
        List<Double> values = new ArrayList<>(List.of(0.0, -0.0, 1.0, -1.0, 1e15, 1e15 - 1, -1e15 + 1, 1e21, 9.99e20, 1e-6, 9.99e-7, 5e-324,
                Double.MAX_VALUE, Double.MIN_NORMAL, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1 + 0.2, 100 * 0.57,
                0.000001, 0.0000015, -0.5, (1 << 30) - 0.5, (1 << 30) + 0.5, 1073741823.999999, 0.1 * 3, 1.0000001, 123456.789012));
        for (int i = 0; i < 60_000; i++) {
            values.add(switch (i % 6) {
                // Short decimals (rates, percentages, seconds) take their own fast path: many of them, near its edges too.
                case 4 -> rnd.nextLong(-2_000_000_000_000L, 2_000_000_000_000L) / Math.pow(10, rnd.nextInt(1, 9));
                case 5 -> Math.nextUp(rnd.nextInt(-100_000, 100_000) / Math.pow(10, rnd.nextInt(1, 7)));
                case 0 -> (double) rnd.nextLong(-(1L << 52), 1L << 52);
                case 1 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(-12, 25));
                case 2 -> Double.longBitsToDouble(rnd.nextLong());
                default -> rnd.nextInt(0, 10_000) / 100.0;
            });
        }
        JsonBytes b = new JsonBytes(16);
        StringBuilder want = new StringBuilder();
        for (double v : values) {
            b.number(v).raw(' ');
            SandboxJson.number(v, want);
            want.append(' ');
        }
        assertEquals(want.toString(), utf8(b.toByteArray()));

        b = new JsonBytes(16);
        want.setLength(0);
        for (int i = 0; i < 5000; i++) {
            long ms = i % 2 == 0 ? rnd.nextLong(-62_135_596_800_000L, 253_402_300_799_999L) : 1_800_000_000_000L + rnd.nextLong(0, 3 * 86_400_000L);
            b.time(ms);
            want.append(SandboxJson.time(ms));
        }
        assertEquals(want.toString(), utf8(b.toByteArray()));

        b = new JsonBytes(16);
        want.setLength(0);
        for (String s : List.of("sbx-1", "", "tab\there", "quote\"back\\slash", "ctl\u0001\u001f", "del\u007f", "\u00e9t\u00e9", "\u2028\u2029",
                "emoji \ud83d\ude00", "0", "-0", "-1", "012", "2147483647", "12345678901", "+1", "abc")) {
            b.string(s).raw(' ').id(s).raw(' ');
            JsonWriter.string(want, s);
            want.append(' ').append(SandboxJson.id(s)).append(' ');
        }
        b.id(null);
        want.append("null");
        assertArrayEquals(want.toString().getBytes(StandardCharsets.UTF_8), b.toByteArray());
    }

    @Test
    void integersAtEveryDigitCountEdgeAsLongToString() {
        JsonBytes b = new JsonBytes(16);
        StringBuilder want = new StringBuilder();
        long p = 1;
        for (int k = 0; k <= 18; k++, p *= 10) {
            for (long v : new long[] {p - 1, p, p + 1, -p, 2 * p - 1, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Long.MAX_VALUE, Long.MIN_VALUE}) {
                b.integer(v).raw(' ');
                want.append(v).append(' ');
            }
        }
        for (int t = 0; t < 5000; t++) {
            long ms = 1_800_000_000_000L + t * 997L;
            b.time(ms);
            want.append(SandboxJson.time(ms));
        }
        assertEquals(want.toString(), utf8(b.toByteArray()));
    }

    @Test
    void chunksHandedOnAddUpToTheWholeAnswer() {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        List<Integer> sizes = new ArrayList<>();
        JsonBytes chunked = new JsonBytes(1000, (chunk, length) -> {
            sent.write(chunk, 0, length);
            sizes.add(length);
        });
        JsonBytes whole = new JsonBytes(16);
        for (int i = 0; i < 500; i++) {
            for (JsonBytes b : List.of(chunked, whole)) {
                b.string("sbx-" + i).raw(',').time(1_800_000_000_000L + i * 1000L).raw(',').number(i * 0.5).raw(',');
                b.spillIfFull();
            }
        }
        chunked.flush();
        assertArrayEquals(whole.toByteArray(), sent.toByteArray());
        assertTrue(sizes.size() > 10, "sent in pieces: " + sizes);
        assertTrue(sizes.stream().allMatch(n -> n >= 1000 && n < 1100) || sizes.get(sizes.size() - 1) < 1000, sizes.toString());
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
