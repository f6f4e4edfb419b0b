package dev.sandglass.web.api;

import dev.sandglass.query.sandbox.LatestHub;
import dev.sandglass.query.sandbox.RunEnd;
import dev.sandglass.query.sandbox.SandboxField;
import dev.sandglass.query.sandbox.SandboxHistory;
import dev.sandglass.query.sandbox.SandboxPoint;
import dev.sandglass.query.sandbox.SandboxStatus;
import java.time.LocalDate;

/**
 * The JSON of the sandbox views: points named as the microsandbox SDKs name their fields, absent
 * fields as null, times as RFC 3339 UTC with milliseconds.
 */
public final class SandboxJson {
    /** {@code ,"<field>":} and {@code ,"<field>_per_second":} by field, spelled once. */
    private static final String[] KEYS = new String[SandboxField.all().length];
    private static final String[] RATE_KEYS = new String[SandboxField.all().length];

    static {
        for (SandboxField f : SandboxField.all()) {
            KEYS[f.ordinal()] = ",\"" + f.json() + "\":";
            RATE_KEYS[f.ordinal()] = ",\"" + f.json() + "_per_second\":";
        }
    }

    /** A history's text is handed on in pieces of about this size (see {@link #history(SandboxHistory, JsonWriter, Runnable)}). */
    static final int SPILL_CHARS = 1 << 20;

    private SandboxJson() {
    }

    public static void status(SandboxStatus s, JsonWriter w) {
        w.beginObject().field("name", s.name()).field("state", s.state());
        w.name("last_seen").raw(time(s.lastSeenMs()));
        w.name("latest");
        point(s.latest(), w.buffer()); // the object is ended next: no separator is owed
        w.endObject();
    }

    public static void point(SandboxPoint p, JsonWriter w) {
        StringBuilder sb = new StringBuilder(512);
        point(p, sb);
        w.raw(sb);
    }

    /** One point as a JSON object, appended to {@code sb} (formatted without a writer: 86,400 of these make a day). */
    static void point(SandboxPoint p, StringBuilder sb) {
        sb.append("{\"timestamp\":");
        time(p.timestampMs(), sb);
        sb.append(",\"sandbox_name\":");
        JsonWriter.string(sb, p.name());
        sb.append(",\"sandbox_id\":");
        id(p.sandboxId(), sb);
        sb.append(",\"run_id\":");
        id(p.runId(), sb);
        for (SandboxField f : SandboxField.all()) {
            sb.append(KEYS[f.ordinal()]);
            number(p.value(f), sb);
        }
        if (p.hasRates()) {
            for (SandboxField f : SandboxField.all()) {
                if (f.counter()) {
                    sb.append(RATE_KEYS[f.ordinal()]);
                    number(p.rate(f), sb);
                }
            }
        }
        sb.append('}');
    }

    public static void history(SandboxHistory h, JsonWriter w) {
        history(h, w, () -> { });
    }

    /**
     * The history as JSON into {@code w}; {@code spill} is called whenever the writer's buffer
     * holds over {@link #SPILL_CHARS} between two points, to send and clear it: a day of raw
     * points is ~80 MB of text and need not be held whole.
     */
    public static void history(SandboxHistory h, JsonWriter w, Runnable spill) {
        StringBuilder sb = w.buffer();
        w.beginObject().field("name", h.name());
        w.name("start").raw(time(h.startMs()));
        w.name("end").raw(time(h.endMs()));
        w.name("step_seconds").raw(h.stepMs() > 0 ? PromFormat.value(h.stepMs() / 1000.0) : "null");
        w.name("interval_seconds").raw(h.intervalMs() > 0 ? PromFormat.value(h.intervalMs() / 1000.0) : "null");
        w.name("points").beginArray();
        boolean first = true;
        for (SandboxPoint p : h.points()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            point(p, sb);
            if (sb.length() > SPILL_CHARS) {
                spill.run();
            }
        }
        w.endArray();
        w.name("gaps").beginArray();
        for (SandboxHistory.Gap g : h.gaps()) {
            w.beginObject();
            w.name("from").raw(time(g.lastMs()));
            w.name("to").raw(time(g.nextMs()));
            w.name("seconds").raw(PromFormat.value((g.nextMs() - g.lastMs()) / 1000.0));
            w.endObject();
        }
        w.endArray();
        w.name("restarts").beginArray();
        for (SandboxHistory.Restart r : h.restarts()) {
            w.beginObject();
            w.name("timestamp").raw(time(r.firstMs()));
            w.name("last_sample_of_old_run").raw(time(r.lastMs()));
            w.name("old_run_id").raw(id(r.oldRunId()));
            w.name("new_run_id").raw(id(r.newRunId()));
            w.endObject();
        }
        w.endArray();
        w.endObject();
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

    /** A server-sent event: {@code point}, {@code restart} or {@code stop}, its data one line of JSON. */
    public static String sse(LatestHub.Event e) {
        StringBuilder sb = new StringBuilder(640);
        switch (e.kind()) {
            case POINT -> {
                sb.append("event: point\ndata: ");
                point(e.status().latest(), sb);
            }
            case RESTART -> {
                sb.append("event: restart\ndata: {\"sandbox_name\":");
                JsonWriter.string(sb, e.name());
                sb.append(",\"timestamp\":");
                time(e.status().latest().timestampMs(), sb);
                sb.append(",\"old_run_id\":");
                id(e.oldRunId(), sb);
                sb.append(",\"new_run_id\":");
                id(e.status().latest().runId(), sb);
                sb.append('}');
            }
            case STOP -> {
                sb.append("event: stop\ndata: {\"sandbox_name\":");
                JsonWriter.string(sb, e.name());
                sb.append(",\"last_seen\":");
                if (e.status() == null) {
                    sb.append("null,\"latest\":null}");
                } else {
                    time(e.status().lastSeenMs(), sb);
                    sb.append(",\"latest\":");
                    point(e.status().latest(), sb);
                    sb.append('}');
                }
            }
        }
        return sb.append("\n\n").toString();
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
    private static boolean isInt(String v) {
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
