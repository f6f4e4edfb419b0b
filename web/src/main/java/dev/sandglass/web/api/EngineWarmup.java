package dev.sandglass.web.api;

import dev.sandglass.query.engine.QueryResult;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the query path up to speed right after the server starts, so the first users do not pay
 * for it. The JVM runs new code interpreted and compiles the hot parts as they prove hot: a query
 * shape needs some 20 to 40 runs before its time settles, which on a fresh server made the first
 * answers two to twenty times slower than later ones. This runs the usual query shapes (rates,
 * increases, resets, the *_over_time family, topk, sums and ratios, instant and range) many times
 * over a synthetic fleet in a private temporary store, never the user's data, and formats the
 * answers as the API does. Results are thrown away: nothing is cached.
 */
public final class EngineWarmup {
    private static final Logger LOG = LoggerFactory.getLogger(EngineWarmup.class);
    private static final long HOUR_MS = 3_600_000L;
    private static final String[] QUERIES = {
        "rate(microsandbox_disk_bytes_written[5m])",
        "sum by (sandbox_name) (rate(microsandbox_network_bytes_received[1m]))",
        "increase(microsandbox_network_bytes_sent[1h])",
        "resets(microsandbox_uptime_seconds[1h])",
        "max_over_time(microsandbox_memory_usage_bytes[10m])",
        "min_over_time(microsandbox_memory_usage_bytes[10m])",
        "topk(10, avg_over_time(microsandbox_cpu_utilization_ratio[5m]))",
        "sum(microsandbox_memory_usage_bytes) / sum(microsandbox_memory_limit_bytes)",
        "microsandbox_memory_usage_bytes / on(sandbox_name) microsandbox_memory_limit_bytes",
        "quantile_over_time(0.95, microsandbox_cpu_utilization_ratio[5m])",
        "irate(microsandbox_disk_bytes_read[5m])",
        "avg by (sandbox_name) (delta(microsandbox_uptime_seconds[5m]))",
        "count(microsandbox_cpu_utilization_ratio > 0.1)",
    };

    private final QueryService engine;
    private final int sandboxes;
    private final int hours;
    private final int rounds;

    /** Warms with {@code sandboxes} simulated over {@code hours}, every query run {@code rounds} times. */
    public EngineWarmup(QueryService engine, int sandboxes, int hours, int rounds) {
        this.engine = engine;
        this.sandboxes = sandboxes;
        this.hours = hours;
        this.rounds = rounds;
    }

    /**
     * Runs on a daemon thread; {@code stop} is polled between queries (and cancels a running one).
     * Then, when {@code self} is given (this server's address on loopback), sends it a few
     * requests that read no data (such as {@code vector(1)}), so that the HTTP layer's classes are
     * loaded before a user's first request rather than during it (about 50 ms).
     */
    public Thread startInBackground(BooleanSupplier stop, URI self) {
        Thread t = new Thread(() -> {
            try {
                long t0 = System.nanoTime();
                int n = run(stop, Path.of(System.getProperty("java.io.tmpdir")));
                if (self != null && !stop.getAsBoolean()) {
                    requestSelf(self);
                }
                LOG.info("query engine warmed up: {} queries and capacity reports over a synthetic fleet in {} ms", n, (System.nanoTime() - t0) / 1_000_000);
            } catch (Exception | LinkageError | OutOfMemoryError e) { // the heap is bounded by --memory.limit
                LOG.warn("query engine warm-up skipped: {}", e.toString());
            }
        }, "sandglass-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    /**
     * Runs the warm-up on this thread in a store under {@code parent}, deleted afterwards;
     * returns how many queries ran and had an answer with data.
     */
    public int run(BooleanSupplier stop, Path parent) throws IOException {
        Path dir = Files.createTempDirectory(parent, "sandglass-warmup-");
        try (Db db = Db.open(DbOptions.defaults(dir).withRetention(100L * 365 * 24 * HOUR_MS, 0))) {
            long last = fill(db);
            // Whole minutes, as dashboards ask, and now and then a time with milliseconds.
            long end = last / 60_000 * 60_000;
            long start = end - hours * HOUR_MS + 10 * 60_000;
            // The engine polls the cancel check in its hottest loops. Seeing only one kind of check
            // here, the compiler would assume that kind, and the first real request (whose check
            // is of another kind) would throw the compiled code away. Several kinds from the
            // start keep that call general.
            List<BooleanSupplier> checks = List.of(stop, () -> stop.getAsBoolean(), new BooleanSupplier() {
                @Override
                public boolean getAsBoolean() {
                    return stop.getAsBoolean();
                }
            });
            int n = 0;
            Converged converged = new Converged();
            for (int r = 0; r < rounds && !stop.getAsBoolean(); r++) {
                BooleanSupplier check = checks.get(r % checks.size());
                long t0 = System.nanoTime();
                for (String q : QUERIES) {
                    if (stop.getAsBoolean()) {
                        break;
                    }
                    n += format(engine.range(db, q, start, end, 60_000, 60_000, check));
                    n += format(engine.instant(db, q, r % 4 == 3 ? last : end, 60_000, check));
                }
                if (converged.after(System.nanoTime() - t0)) {
                    break;
                }
            }
            // The capacity report reads rollups, not raw samples: its own history and rounds, in the same store.
            CapacityWarmup.fill(db, last - hours * HOUR_MS, sandboxes);
            return n + CapacityWarmup.run(db, end, CapacityWarmup.DAYS * 24 * HOUR_MS, "capacity-0", stop);
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * Whether the rounds have stopped getting faster: two rounds in a row none of them 10% faster
     * than the fastest before it, after at least {@link #MIN_ROUNDS}. The hot loops are compiled by then;
     * running the full count of rounds on top of that cost seconds of CPU at every start for
     * nothing (1,560 queries, ~9 s of CPU, where 5 to 10 rounds reach the same speed).
     */
    static final class Converged {
        static final int MIN_ROUNDS = 4;
        private long best = Long.MAX_VALUE;
        private int rounds;
        private int steady;

        boolean after(long roundNanos) {
            rounds++;
            // Level: not 10% faster than the fastest round so far (a faster round is still compiling).
            steady = best != Long.MAX_VALUE && roundNanos >= best - best / 10 ? steady + 1 : 0;
            best = Math.min(best, roundNanos);
            return rounds >= MIN_ROUNDS && steady >= 2;
        }
    }

    /** Requests that touch no stored data: a constant, as instant and range query, by GET and POST. */
    private static final String[] SELF_REQUESTS = {
        "GET /api/v1/query?query=vector(1)",
        "GET /api/v1/query_range?query=vector(1)&start=1700000000&end=1700003600&step=60",
        "POST /api/v1/query_range query=vector(2)&start=1700000000&end=1700003600&step=15",
        "POST /api/v1/query query=scalar(vector(1))",
        "GET /api/v1/status/buildinfo",
    };

    static void requestSelf(URI self) throws IOException {
        for (int round = 0; round < 3; round++) {
            for (String r : SELF_REQUESTS) {
                String[] parts = r.split(" ");
                HttpURLConnection c = (HttpURLConnection) self.resolve(parts[1]).toURL().openConnection();
                c.setConnectTimeout(2000);
                c.setReadTimeout(5000);
                if (parts[0].equals("POST")) {
                    c.setRequestMethod("POST");
                    c.setDoOutput(true);
                    c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
                    try (OutputStream out = c.getOutputStream()) {
                        out.write(parts[2].getBytes(StandardCharsets.UTF_8));
                    }
                }
                try (InputStream in = c.getInputStream()) {
                    in.readAllBytes();
                }
                c.disconnect();
            }
        }
    }

    /** Formats the answer as the API would; 1 when it has data, else 0. */
    private static int format(QueryResult r) {
        ResultJson.write(r, new JsonWriter(new StringBuilder(1 << 16)));
        boolean data = r instanceof QueryResult.MatrixResult m ? !m.series().isEmpty()
                : r instanceof QueryResult.VectorResult v && !v.samples().isEmpty();
        return data ? 1 : 0;
    }

    /**
     * Writes the fleet, shaped like real sandboxes so that the same encodings and branches get
     * exercised: idle, steady, bursty and batch profiles; a CPU ratio with four decimals; memory
     * in pages drifting up while busy; disk and network byte counters that grow only while busy
     * or now and then (mostly-zero deltas with bursts); uptime in milliseconds; rare restarts that
     * reset every counter; one sample a second with a few milliseconds of jitter. Returns the
     * last time.
     */
    private long fill(Db db) {
        Random rnd = new Random(42);
        int n = hours * 3600;
        long t0 = 1_700_000_000_000L;
        long[] ts = new long[n];
        for (int i = 0; i < n; i++) {
            ts[i] = t0 + i * 1000L + rnd.nextInt(7) - 3;
        }
        try (BulkAppender app = db.bulkAppender()) {
            for (int s = 0; s < sandboxes; s++) {
                String name = "warmup-" + s;
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
                double uptime = rnd.nextInt(3600);
                double[] c = {4096.0 * rnd.nextInt(10_000), 4096.0 * rnd.nextInt(1000), 1024.0 * rnd.nextInt(200), 1024.0 * rnd.nextInt(80)};
                int busyUntil = -1;
                for (int i = 0; i < n; i++) {
                    if (rnd.nextInt(4 * 3600) == 0) {
                        uptime = 0;
                        java.util.Arrays.fill(c, 0);
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
                    uptime += 1;
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
                add(app, "microsandbox_cpu_utilization_ratio", name, ts, cpu);
                add(app, "microsandbox_memory_usage_bytes", name, ts, mem);
                add(app, "microsandbox_memory_limit_bytes", name, ts, limit);
                add(app, "microsandbox_uptime_seconds", name, ts, up);
                add(app, "microsandbox_disk_bytes_read", name, ts, counters[0]);
                add(app, "microsandbox_disk_bytes_written", name, ts, counters[1]);
                add(app, "microsandbox_network_bytes_received", name, ts, counters[2]);
                add(app, "microsandbox_network_bytes_sent", name, ts, counters[3]);
            }
            app.finish();
        }
        return ts[n - 1];
    }

    private static void add(BulkAppender app, String metric, String sandbox, long[] ts, double[] values) {
        long ref = app.seriesRef(Labels.of("__name__", metric, "sandbox_name", sandbox));
        app.appendAll(ref, ts, values, values.length);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete the warm-up store {}: {}", dir, e.toString());
        }
    }

    /** The query texts run. */
    static List<String> queries() {
        return List.of(QUERIES);
    }
}
