package dev.sandglass.web.api;

import dev.sandglass.query.sandbox.HistoryPoints;
import dev.sandglass.query.sandbox.LatestHub;
import dev.sandglass.query.sandbox.RunEnd;
import dev.sandglass.query.sandbox.SandboxField;
import dev.sandglass.query.sandbox.SandboxHistory;
import dev.sandglass.query.sandbox.SandboxPoint;
import dev.sandglass.query.sandbox.SandboxStatus;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * The JSON of the sandbox views: points named as the microsandbox SDKs name their fields, absent
 * fields as null, times as RFC 3339 UTC with milliseconds.
 */
public final class SandboxJson {
    /** {@code ,"<field>":} and {@code ,"<field>_per_second":} by field, spelled once as bytes. */
    static final byte[][] KEYS = new byte[SandboxField.all().length][];
    static final byte[][] RATE_KEYS = new byte[SandboxField.all().length][];
    static final SandboxField[] COUNTERS = java.util.Arrays.stream(SandboxField.all()).filter(SandboxField::counter).toArray(SandboxField[]::new);

    static {
        for (SandboxField f : SandboxField.all()) {
            KEYS[f.ordinal()] = JsonBytes.ascii(",\"" + f.json() + "\":");
            RATE_KEYS[f.ordinal()] = JsonBytes.ascii(",\"" + f.json() + "_per_second\":");
        }
    }

    static final byte[] TIMESTAMP = JsonBytes.ascii("{\"timestamp\":");
    static final byte[] SANDBOX_NAME = JsonBytes.ascii(",\"sandbox_name\":");
    static final byte[] SANDBOX_ID = JsonBytes.ascii(",\"sandbox_id\":");
    static final byte[] RUN_ID = JsonBytes.ascii(",\"run_id\":");
    private static final byte[] NAME = JsonBytes.ascii("{\"name\":");
    private static final byte[] RUNNING = JsonBytes.ascii(",\"state\":\"running\",\"last_seen\":");
    private static final byte[] STOPPED = JsonBytes.ascii(",\"state\":\"stopped\",\"last_seen\":");
    private static final byte[] LATEST = JsonBytes.ascii(",\"latest\":");

    /** A history's bytes are handed on in chunks of about this size (see {@link #history(SandboxHistory, JsonBytes)}). */
    public static final int CHUNK_BYTES = 256 * 1024;

    private SandboxJson() {
    }

    public static void status(SandboxStatus s, JsonWriter w) {
        JsonBytes b = new JsonBytes(1024);
        status(s, b);
        w.raw(new String(b.toByteArray(), StandardCharsets.UTF_8));
    }

    /** {@code {"name":..,"state":..,"last_seen":..,"latest":{point}}}. */
    public static void status(SandboxStatus s, JsonBytes b) {
        b.raw(NAME).string(s.name()).raw(s.running() ? RUNNING : STOPPED).time(s.lastSeenMs()).raw(LATEST);
        point(s.latest(), b);
        b.raw('}');
    }

    /** One point as a JSON object (86,400 of these make a day). */
    public static void point(SandboxPoint p, JsonBytes b) {
        b.raw(TIMESTAMP).time(p.timestampMs());
        b.raw(SANDBOX_NAME).string(p.name());
        b.raw(SANDBOX_ID).id(p.sandboxId());
        b.raw(RUN_ID).id(p.runId());
        for (SandboxField f : SandboxField.all()) {
            b.raw(KEYS[f.ordinal()]).number(p.value(f));
        }
        if (p.hasRates()) {
            for (SandboxField f : COUNTERS) {
                b.raw(RATE_KEYS[f.ordinal()]).number(p.rate(f));
            }
        }
        b.raw('}');
    }

    /**
     * The history as the data of an answer; {@code b.spillIfFull()} is called between points, so
     * a writer with a sink hands on each chunk as it fills: a day of raw points is ~80 MB of text
     * and need not be held whole. Written straight from the columns ({@link HistoryPoints}): no
     * object per point; what every point of the answer repeats (name and id, the run while it
     * lasts) is spelled once as bytes.
     */
    public static void history(SandboxHistory h, JsonBytes b) {
        b.raw(NAME).string(h.name());
        b.raw(JsonBytes.ascii(",\"start\":")).time(h.startMs());
        b.raw(JsonBytes.ascii(",\"end\":")).time(h.endMs());
        b.raw(JsonBytes.ascii(",\"step_seconds\":"));
        seconds(h.stepMs(), b);
        b.raw(JsonBytes.ascii(",\"interval_seconds\":"));
        seconds(h.intervalMs(), b);
        b.raw(JsonBytes.ascii(",\"points\":["));
        HistoryPoints ps = h.points();
        if (ps.size() > 0) {
            HistoryJson.points(ps, b);
        }
        b.raw(JsonBytes.ascii("],\"gaps\":["));
        boolean first = true;
        for (SandboxHistory.Gap g : h.gaps()) {
            b.raw(first ? JsonBytes.ascii("{\"from\":") : JsonBytes.ascii(",{\"from\":")).time(g.lastMs());
            b.raw(JsonBytes.ascii(",\"to\":")).time(g.nextMs());
            b.raw(JsonBytes.ascii(",\"seconds\":")).number((g.nextMs() - g.lastMs()) / 1000.0).raw('}');
            first = false;
        }
        b.raw(JsonBytes.ascii("],\"restarts\":["));
        first = true;
        for (SandboxHistory.Restart r : h.restarts()) {
            b.raw(first ? JsonBytes.ascii("{\"timestamp\":") : JsonBytes.ascii(",{\"timestamp\":")).time(r.firstMs());
            b.raw(JsonBytes.ascii(",\"last_sample_of_old_run\":")).time(r.lastMs());
            b.raw(JsonBytes.ascii(",\"old_run_id\":")).id(r.oldRunId());
            b.raw(JsonBytes.ascii(",\"new_run_id\":")).id(r.newRunId()).raw('}');
            first = false;
        }
        b.raw(JsonBytes.ascii("]}"));
    }

    /** A positive duration in seconds, or null. */
    private static void seconds(long ms, JsonBytes b) {
        if (ms > 0) {
            b.number(ms / 1000.0);
        } else {
            b.nullValue();
        }
    }

    /** A restart or stop with the old run's end-of-life figures. */
    public static void runEnd(RunEnd e, JsonWriter w) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("{\"sandbox_name\":");
        JsonWriter.string(sb, e.sandbox());
        sb.append(",\"sandbox_id\":");
        id(e.sandboxId(), sb);
        sb.append(",\"event\":\"").append(e.kind().json()).append("\",\"timestamp\":");
        time(e.timeMs(), sb);
        sb.append(",\"last_sample_of_old_run\":");
        time(e.lastMs(), sb);
        sb.append(",\"first_sample_of_new_run\":");
        if (e.firstMs() == null) {
            sb.append("null");
        } else {
            time(e.firstMs(), sb);
        }
        sb.append(",\"old_run_id\":");
        id(e.oldRunId(), sb);
        sb.append(",\"new_run_id\":");
        id(e.newRunId(), sb);
        sb.append(",\"uptime_seconds\":");
        number(e.uptimeSeconds(), sb);
        sb.append(",\"gap_seconds\":");
        number(e.gapSeconds() == null ? Double.NaN : e.gapSeconds(), sb);
        sb.append(",\"memory_last_bytes\":");
        number(e.memoryLastBytes(), sb);
        sb.append(",\"memory_peak_bytes\":");
        number(e.memoryPeakBytes(), sb);
        sb.append(",\"memory_limit_bytes\":");
        number(e.memoryLimitBytes(), sb);
        sb.append(",\"memory_peak_ratio\":");
        number(e.memoryPeakRatio(), sb);
        sb.append(",\"memory_near_limit\":").append(e.memoryNearLimit());
        sb.append(",\"cpu_last_percent\":");
        number(e.cpuLastPercent(), sb);
        w.raw(sb.append('}'));
    }

    private static final byte[] SSE_POINT = JsonBytes.ascii("event: point\ndata: ");
    private static final byte[] SSE_RESTART = JsonBytes.ascii("event: restart\ndata: {\"sandbox_name\":");
    private static final byte[] SSE_STOP = JsonBytes.ascii("event: stop\ndata: {\"sandbox_name\":");
    private static final byte[] SSE_END = JsonBytes.ascii("\n\n");

    /** A server-sent event: {@code point}, {@code restart} or {@code stop}, its data one line of JSON, as UTF-8. */
    public static byte[] sse(LatestHub.Event e) {
        JsonBytes b = new JsonBytes(768);
        switch (e.kind()) {
            case POINT -> {
                b.raw(SSE_POINT);
                point(e.status().latest(), b);
            }
            case RESTART -> {
                b.raw(SSE_RESTART).string(e.name());
                b.raw(JsonBytes.ascii(",\"timestamp\":")).time(e.status().latest().timestampMs());
                b.raw(JsonBytes.ascii(",\"old_run_id\":")).id(e.oldRunId());
                b.raw(JsonBytes.ascii(",\"new_run_id\":")).id(e.status().latest().runId()).raw('}');
            }
            case STOP -> {
                b.raw(SSE_STOP).string(e.name()).raw(JsonBytes.ascii(",\"last_seen\":"));
                if (e.status() == null) {
                    b.raw(JsonBytes.ascii("null,\"latest\":null}"));
                } else {
                    b.time(e.status().lastSeenMs()).raw(LATEST);
                    point(e.status().latest(), b);
                    b.raw('}');
                }
            }
        }
        return b.raw(SSE_END).toByteArray();
    }

    /** A JSON number, or null for NaN (a field not reported). */
    static void number(double v, StringBuilder sb) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            sb.append("null");
        } else {
            PromFormat.value(v, sb);
        }
    }

    /** An id label: a number when it is one (microsandbox's ids are i32), else a string; null when absent. */
    static String id(String v) {
        StringBuilder sb = new StringBuilder();
        id(v, sb);
        return sb.toString();
    }

    static void id(String v, StringBuilder sb) {
        if (v == null) {
            sb.append("null");
        } else if (isInt(v)) {
            sb.append(v);
        } else {
            JsonWriter.string(sb, v);
        }
    }

    /** Whether v is a plain int (as microsandbox's i32 ids are): no sign but minus, no leading zero. */
    static boolean isInt(String v) {
        int start = v.startsWith("-") ? 1 : 0;
        int len = v.length() - start;
        if (len < 1 || len > 9 || (len > 1 && v.charAt(start) == '0')) {
            return false;
        }
        for (int i = start; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return false;
            }
        }
        return !(start == 1 && len == 1 && v.charAt(1) == '0');
    }

    public static String time(long ms) {
        StringBuilder sb = new StringBuilder(26);
        time(ms, sb);
        return sb.toString();
    }

    /** RFC 3339 in UTC with milliseconds, quoted: "2026-11-29T02:17:05.123Z". */
    static void time(long ms, StringBuilder sb) {
        long day = Math.floorDiv(ms, 86_400_000L);
        long inDay = Math.floorMod(ms, 86_400_000L);
        sb.append('"').append(date(day)).append('T');
        two((int) (inDay / 3_600_000), sb);
        sb.append(':');
        two((int) (inDay / 60_000 % 60), sb);
        sb.append(':');
        two((int) (inDay / 1000 % 60), sb);
        int frac = (int) (inDay % 1000);
        sb.append('.').append((char) ('0' + frac / 100)).append((char) ('0' + frac / 10 % 10)).append((char) ('0' + frac % 10));
        sb.append("Z\"");
    }

    /** The last day formatted, per thread: a history's points share a few days. */
    private static final ThreadLocal<Object[]> LAST_DAY = ThreadLocal.withInitial(() -> new Object[] {Long.MIN_VALUE, ""});

    private static String date(long day) {
        Object[] last = LAST_DAY.get();
        if ((long) last[0] != day) {
            last[0] = day;
            last[1] = LocalDate.ofEpochDay(day).toString();
        }
        return (String) last[1];
    }

    private static void two(int v, StringBuilder sb) {
        sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
