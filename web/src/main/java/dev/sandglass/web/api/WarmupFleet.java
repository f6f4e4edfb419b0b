package dev.sandglass.web.api;

import dev.sandglass.storage.Db;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The start-up warm-up's synthetic fleet, shaped like real sandboxes so that the warm-up reaches
 * the branches real data takes. A branch the compiled code has never seen taken is compiled as a
 * trap: the first real query that takes it throws the compiled method away and runs interpreted
 * until it is compiled again (JFR showed exactly that on the first reference queries: the decimal
 * packed-delta decode, windows with no sample or one, the quantile of one sample). So: idle,
 * steady, bursty and batch profiles; a CPU ratio with four decimals; memory in pages drifting up
 * while busy; disk and network byte counters that grow only while busy or now and then; uptime in
 * whole seconds for half the sandboxes and with milliseconds for the other half; rare restarts that
 * reset every counter; sandboxes that start late, stop early or live for one sample (churn: series
 * with no sample at the start or the end of a range, blocks of one sample); one sample a second
 * with a few milliseconds of jitter; and two more minutes written as a collector writes them
 * (through the write-ahead appender, so that queries read them from the in-memory head, as they
 * read a live store's latest samples: the head's copy was another trap).
 */
final class WarmupFleet {
    /** The first sample's time. */
    static final long T0 = 1_700_000_000_000L;

    private WarmupFleet() {
    }

    /** Seconds written through the write-ahead appender after the bulk-loaded hours. */
    private static final int HEAD_SECONDS = 120;
    /** Seconds between a sandbox's samples (measuring knob; a collector's default is 1). */
    static final int INTERVAL_S = Math.max(1, Math.min(10, Integer.getInteger("sandglass.warmup.intervalSeconds", 1)));

    /** A series still running at the end of the bulk-loaded hours, and its last value. */
    record Tail(String metric, String sandbox, double value) {
        Labels labels() {
            return labelsOf(metric, sandbox);
        }

        /** One line of text, as {@link #parse} reads it back (the value exactly). */
        String line() {
            return metric + ' ' + sandbox + ' ' + value;
        }

        static Tail parse(String line) {
            String[] f = line.split(" ");
            return new Tail(f[0], f[1], Double.parseDouble(f[2]));
        }
    }

    /** The bulk-loaded hours: the series still running at their end, and the last sample's time. */
    record Bulk(List<Tail> tails, long last) {
        /** The last time {@link #head} writes after these hours. */
        long headEnd() {
            return last + HEAD_SECONDS * 1000L;
        }
    }

    /** The bulk-loaded hours alone (sealed blocks, as an import writes them). */
    static Bulk bulk(Db db, int sandboxes, int hours) {
        Random rnd = new Random(42);
        int n = hours * 3600 / INTERVAL_S;
        long[] ts = new long[n];
        for (int i = 0; i < n; i++) {
            ts[i] = T0 + i * 1000L * INTERVAL_S + rnd.nextInt(7) - 3;
        }
        List<Tail> tails = new ArrayList<>();
        try (BulkAppender app = db.bulkAppender()) {
            for (int s = 0; s < sandboxes; s++) {
                // Every fourth sandbox starts late, every fifth stops early, the third lives for one sample.
                int from = s % 4 == 3 ? n / 4 + rnd.nextInt(n / 4) : 0;
                int to = s % 5 == 4 ? n - n / 8 - rnd.nextInt(n / 8) : s == 2 ? from + 1 : n;
                sandbox(app, "warmup-" + s, rnd, ts, from, to, s % 2 == 1, to == n ? tails : null);
            }
            app.finish();
        }
        return new Bulk(tails, ts[n - 1]);
    }

    /** The series in {@code tails} go on at their last value for {@link #HEAD_SECONDS}, committed every 10 s; returns the last time. */
    static long head(Db db, List<Tail> tails, long after) {
        Appender app = db.appender();
        long[] refs = new long[tails.size()];
        for (int i = 0; i < refs.length; i++) {
            refs[i] = app.seriesRef(tails.get(i).labels());
        }
        long t = after;
        for (int second = INTERVAL_S; second <= HEAD_SECONDS; second += INTERVAL_S) {
            t = after + second * 1000L;
            for (int i = 0; i < refs.length; i++) {
                app.append(refs[i], t, tails.get(i).value());
            }
            if (second % 10 == 0) {
                app.commit();
            }
        }
        app.commit();
        return t;
    }

    private static void sandbox(BulkAppender app, String name, Random rnd, long[] ts, int from, int to, boolean uptimeMs,
            List<Tail> tails) {
        int n = to - from;
        double[] cpu = new double[n];
        double[] mem = new double[n];
        double[] limit = new double[n];
        double[] up = new double[n];
        double[][] counters = new double[4][n];
        int profile = rnd.nextInt(10) < 5 ? 0 : 1 + rnd.nextInt(3); // idle, steady, bursty, batch
        int vcpus = new int[] {1, 1, 2, 2, 4}[rnd.nextInt(5)];
        double memLimit = new int[] {512, 1024, 2048, 4096}[rnd.nextInt(4)] * 1048576.0;
        double base = new double[] {0.01, 0.35 * vcpus, 0.05, 0.1}[profile];
        double m = (60 + rnd.nextInt(80)) * 1048576.0;
        double uptime = uptimeMs ? rnd.nextInt(3_600_000) / 1000.0 : rnd.nextInt(3600);
        double[] c = {4096.0 * rnd.nextInt(10_000), 4096.0 * rnd.nextInt(1000), 1024.0 * rnd.nextInt(200), 1024.0 * rnd.nextInt(80)};
        int busyUntil = -1;
        for (int i = 0; i < n; i++) {
            if (rnd.nextInt(4 * 3600) == 0) {
                uptime = 0;
                Arrays.fill(c, 0);
            }
            if (profile == 2 && i > busyUntil && rnd.nextInt(250) == 0) {
                busyUntil = i + 5 + rnd.nextInt(115);
            }
            boolean busy = profile == 1 || (profile == 2 && i <= busyUntil) || (profile == 3 && (i / 600) % 3 == 0);
            double load = base + (busy ? 0.8 * vcpus : 0) + Math.abs(rnd.nextGaussian() * (0.004 + 0.02 * base));
            cpu[i] = Math.round(Math.min(load, vcpus) * 1e4) / 1e4;
            m += rnd.nextGaussian() * 0.3 * 1048576 + (busy ? 0.6 : -0.05) * 1048576;
            m = Math.max(48 * 1048576.0, Math.min(m, memLimit * 0.97));
            mem[i] = Math.floor(m / 4096) * 4096;
            limit[i] = memLimit;
            uptime += INTERVAL_S;
            up[i] = Math.round(uptime * 1000) / 1000.0;
            if (busy || rnd.nextInt(20) == 0) {
                int f = busy ? 4 : 1;
                c[0] += 4096.0 * rnd.nextInt(64) * f;
                c[1] += 4096.0 * rnd.nextInt(128) * f;
                c[2] += (60 + rnd.nextInt(20_000)) * (busy ? 8 : 1);
                c[3] += (60 + rnd.nextInt(9_000)) * (busy ? 8 : 1);
            }
            for (int k = 0; k < 4; k++) {
                counters[k][i] = c[k];
            }
        }
        long[] t = Arrays.copyOfRange(ts, from, to);
        add(app, "microsandbox_cpu_utilization_ratio", name, t, cpu, tails);
        add(app, "microsandbox_memory_usage_bytes", name, t, mem, tails);
        add(app, "microsandbox_memory_limit_bytes", name, t, limit, tails);
        add(app, "microsandbox_uptime_seconds", name, t, up, tails);
        add(app, "microsandbox_disk_bytes_read", name, t, counters[0], tails);
        add(app, "microsandbox_disk_bytes_written", name, t, counters[1], tails);
        add(app, "microsandbox_network_bytes_received", name, t, counters[2], tails);
        add(app, "microsandbox_network_bytes_sent", name, t, counters[3], tails);
    }

    private static void add(BulkAppender app, String metric, String sandbox, long[] ts, double[] values, List<Tail> tails) {
        app.appendAll(app.seriesRef(labelsOf(metric, sandbox)), ts, values, values.length);
        if (tails != null && values.length > 0) {
            tails.add(new Tail(metric, sandbox, values[values.length - 1]));
        }
    }

    private static Labels labelsOf(String metric, String sandbox) {
        // As collected: the name and id of the sandbox, and on every third one a third label, so
        // that label lookups meet sets of more than one size (another trap when all had two).
        String id = sandbox.substring(sandbox.indexOf('-') + 1);
        return Integer.parseInt(id) % 3 == 0
                ? Labels.of("__name__", metric, "sandbox_name", sandbox, "sandbox_id", id, "template", "tpl-" + id.length())
                : Labels.of("__name__", metric, "sandbox_name", sandbox, "sandbox_id", id);
    }
}
