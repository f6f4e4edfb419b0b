package dev.sandglass.web.api;

import dev.sandglass.query.engine.QueryResult;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
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
    /**
     * The query rounds' CPU on the warm-up thread at most (the compilers' CPU comes on top); the
     * system property {@code sandglass.warmup.cpuMillis} sets another. Start-up is asked to cost at
     * most 2 s of CPU beyond the JVM's own, and serve is ready at ~1.0-1.3 s of that. 400 ms:
     * measured with bench/warmup-curve.sh (3 runs of each variant in turn, a loaded 2-core
     * machine), the worst first run of the eight reference range queries over its steady-state
     * CPU was 2.4-6.2x at 400 ms (with and without the capacity part), 2.5-5.3x at 1,000 ms,
     * 2.0-2.9x at 2,000 ms and 4.3-5.7x with no warm-up: past ~400 ms the spread between runs is
     * larger than what more rounds buy, and each 600 ms of rounds costs ~1 s with the compilers.
     */
    static final long ENGINE_CPU_NANOS = Long.getLong("sandglass.warmup.cpuMillis", 400) * 1_000_000L;
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

    /** Measuring knobs (bench/warmup-curve.sh): only the eight reference shapes; no capacity report. */
    private static final String[] ROUND_QUERIES = Boolean.getBoolean("sandglass.warmup.referenceOnly")
            ? java.util.Arrays.stream(QUERIES).filter(q -> !q.startsWith("min_over") && !q.contains(" on(") && !q.startsWith("irate")
                    && !q.startsWith("avg by") && !q.startsWith("count(")).toArray(String[]::new)
            : QUERIES;
    private static final boolean CAPACITY = !"false".equals(System.getProperty("sandglass.warmup.capacity"));
    /**
     * Measuring knobs: the range queries' step, and the synthetic fleet's size (instead of the
     * memory budget's). Neither helped the first real queries (more series or points per round,
     * fewer rounds within the CPU budget): see the README's item-4 section.
     */
    static final long STEP_MS = Long.getLong("sandglass.warmup.stepMillis", 60_000);
    private static final int SANDBOXES = Integer.getInteger("sandglass.warmup.sandboxes", 0);

    private final QueryService engine;
    private final int sandboxes;
    private final int hours;
    private final int rounds;
    /** The process's CPU (all threads: the compilers too) over each phase of the last run, for the log. */
    private volatile String phases = "";
    private String storePhases = "";

    /** Warms with {@code sandboxes} simulated over {@code hours}, every query run {@code rounds} times. */
    public EngineWarmup(QueryService engine, int sandboxes, int hours, int rounds) {
        this.engine = engine;
        this.sandboxes = SANDBOXES > 0 ? SANDBOXES : sandboxes;
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
                java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
                LOG.info("query engine warmed up: {} queries and capacity reports over a synthetic fleet in {} ms (the JIT has compiled for {} ms since start; process CPU {})",
                        n, (System.nanoTime() - t0) / 1_000_000, jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1,
                        phases);
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
     * Runs the warm-up on this thread in a store under {@code parent}, deleted afterwards (its
     * bulk-loaded part is kept there for the next start: see WarmupStore); returns how many
     * queries ran and had an answer with data.
     */
    public int run(BooleanSupplier stop, Path parent) throws IOException {
        Path dir = Files.createTempDirectory(parent, "sandglass-warmup-");
        long c0 = processCpuMs();
        Path kept = WarmupStore.keptIn(parent, sandboxes, hours);
        WarmupStore.prune(parent, kept, Files.getOwner(dir), System.currentTimeMillis());
        try {
            long t0 = threadCpuMs();
            WarmupFleet.Bulk bulk = WarmupStore.prepare(dir, kept, sandboxes, hours);
            long t1 = threadCpuMs();
            try (Db db = Db.open(DbOptions.defaults(dir).withRetention(WarmupStore.RETENTION_MS, 0))) {
                long t2 = threadCpuMs();
                long last = WarmupFleet.head(db, bulk.tails(), bulk.last());
                storePhases = String.format(" (this thread: prepare %d, open %d, head %d)", t1 - t0, t2 - t1, threadCpuMs() - t2);
                return rounds(db, last, stop, c0);
            }
        } catch (IOException | RuntimeException e) {
            if (kept != null) { // a kept copy that lost files (a temp-dir cleaner) is written again by the next start
                WarmupStore.deleteTree(kept);
            }
            throw e;
        } finally {
            WarmupStore.deleteTree(dir);
        }
    }

    private int rounds(Db db, long last, BooleanSupplier stop, long c0) {
        long c1 = processCpuMs();
        // Whole minutes, as dashboards ask, and now and then a time with milliseconds. Every
        // other round the range starts at the data's first minute, as a range over all of a
        // store does: its first windows hold no sample or one, which real queries meet at
        // once and which would otherwise be compiled as never taken.
        long end = last / 60_000 * 60_000;
        long length = hours * HOUR_MS - 10 * 60_000;
        long firstMinute = WarmupFleet.T0 / 60_000 * 60_000;
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
        WarmupConvergence converged = new WarmupConvergence(ENGINE_CPU_NANOS);
        for (int r = 0; r < rounds && !stop.getAsBoolean(); r++) {
            BooleanSupplier check = checks.get(r % checks.size());
            long t0 = System.nanoTime();
            for (String q : ROUND_QUERIES) {
                if (stop.getAsBoolean()) {
                    break;
                }
                long from = r % 2 == 0 ? end - length : firstMinute;
                n += format(engine.range(db, q, from, from + length, STEP_MS, 60_000, check), r);
                n += format(engine.instant(db, q, r % 4 == 3 ? last : end, 60_000, check), r);
            }
            if (converged.afterRound(System.nanoTime() - t0)) {
                break;
            }
        }
        long c2 = processCpuMs();
        if (CAPACITY) {
            n += CapacityWarmup.run(db, end, CapacityWarmup.DAYS * 24 * HOUR_MS, "capacity-0", stop);
        }
        phases = String.format("%d ms: store %d%s, query rounds %d, capacity rounds %d", processCpuMs() - c0, c1 - c0, storePhases,
                c2 - c1, processCpuMs() - c2);
        return n;
    }

    private static long threadCpuMs() {
        java.lang.management.ThreadMXBean t = java.lang.management.ManagementFactory.getThreadMXBean();
        return t.isCurrentThreadCpuTimeSupported() ? t.getCurrentThreadCpuTime() / 1_000_000 : -1;
    }

    private static long processCpuMs() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() / 1_000_000 : -1;
    }

    /** Requests that touch no stored data: a constant, as instant and range query, by GET and POST. */
    private static final String[] SELF_REQUESTS = {
        "GET /api/v1/query?query=vector(1)",
        "GET /api/v1/query_range?query=vector(1)&start=1700000000&end=1700003600&step=60",
        "POST /api/v1/query_range query=vector(2)&start=1700000000&end=1700003600&step=15",
        "POST /api/v1/query query=scalar(vector(1))",
        "GET /api/v1/status/buildinfo",
    };

    /**
     * Two series of 10,800 points each with fractional values, computed from the step's time:
     * an answer the size of a real range query's (the eight reference queries answer 100 series x
     * 360 points), still reading no data. The small answers above never took the streamed path
     * (StreamedReply's chunks, Netty writing them out), nor wrote enough points for the number
     * writer to be compiled by the optimising compiler: the first real range query did both.
     */
    static final String LARGE_ANSWER = "label_replace(vector(time() % 997 / 7), \"sandbox_name\", \"warmup-a\", \"\", \"\")"
            + " or label_replace(vector(time() % 991 * 4096), \"sandbox_name\", \"warmup-b\", \"\", \"\")";
    private static final String LARGE_REQUEST = "GET /api/v1/query_range?query="
            + java.net.URLEncoder.encode(LARGE_ANSWER, StandardCharsets.UTF_8) + "&start=1700000000&end=1700010799&step=1";
    /**
     * Rounds of {@link #LARGE_REQUEST}: none by default, a measuring knob. With 3 the streamed
     * path was compiled before the first real query (StreamedReply.ascii reached C1 instead of
     * being compiled during it), but bench/warmup-curve.sh against main, three runs in turn, showed
     * no gain beyond the spread between runs (worst first run by CPU 2.0-3.6x against 2.1-3.2x)
     * for 0.2-0.5 s more CPU at start (README, "First runs against start-up CPU").
     */
    static final int LARGE_ROUNDS = Integer.getInteger("sandglass.warmup.largeRounds", 0);

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
        for (int round = 0; round < LARGE_ROUNDS; round++) {
            HttpURLConnection c = (HttpURLConnection) self.resolve(LARGE_REQUEST.substring(4)).toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(10_000);
            try (InputStream in = c.getInputStream()) {
                in.readAllBytes();
            }
            c.disconnect();
        }
    }

    /**
     * Sinks of three kinds, for the reason given for the cancel checks: a writer that only ever saw
     * one kind was compiled for it, and the API's first streamed answer threw that code away.
     */
    private static final List<JsonWriter.Sink> SINKS = List.of(text -> { }, text -> text.length(), new JsonWriter.Sink() {
        @Override
        public void write(StringBuilder text) {
        }
    });

    /**
     * Formats the answer as the API does, through a writer that hands its text on in chunks (here
     * to nowhere); 1 when it has data, else 0. A writer that never spilled left the API's streamed
     * answers a branch compiled as never taken, and their first large answer deoptimised.
     */
    private static int format(QueryResult r, int round) {
        ResultJson.write(r, new JsonWriter(new StringBuilder(256), SINKS.get(round % SINKS.size()), StreamedReply.CHUNK));
        boolean data = r instanceof QueryResult.MatrixResult m ? !m.series().isEmpty()
                : r instanceof QueryResult.VectorResult v && !v.samples().isEmpty();
        return data ? 1 : 0;
    }

    /** The query texts run. */
    static List<String> queries() {
        return List.of(QUERIES);
    }
}
