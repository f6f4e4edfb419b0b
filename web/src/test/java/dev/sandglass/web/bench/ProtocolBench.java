package dev.sandglass.web.bench;

import dev.sandglass.ingest.remote.RemoteProto;
import dev.sandglass.ingest.remote.Snappy;
import dev.sandglass.storage.api.Labels;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ingestion throughput of msb-metrics-shaped collections (1,024 sandboxes x 16 series, one
 * collection per request and client thread) fed the same pre-encoded payloads over HTTP to each
 * receiver in the same run: remote write to Sandglass, VictoriaMetrics and Prometheus, then OTLP
 * protobuf to Sandglass, plain and gzipped. Every receiver gets the same client (BenchHttp). Each client thread owns a share of the sandboxes (as Prometheus shards by
 * series), so every series' samples arrive in order. After sending, each receiver is asked how
 * many samples it holds; a figure counts only if every sample is there.
 *
 * <p>Rounds alternate the receivers (each round under new metric names, so every round creates
 * its series); each pass is timed as its first collection (all series new) and the rest (all
 * known), and reported both apart and together.
 *
 * <p>Usage: ProtocolBench COLLECTIONS THREADS ROUNDS name=baseUrl... (names: sandglass,
 * victoria-metrics, prometheus; "sandglass" also gets the OTLP run).
 */
public final class ProtocolBench {
    static final int SANDBOXES = 1024;
    static final int SERIES = 16;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** One timed pass: the first collection (every series new) and the others (every series known). */
    record Pass(double firstSecs, double restSecs, long samplesPerCollection, int collections, double cpuSecs) {
        /** The receiver's CPU time (all its threads, user and system) per sample, microseconds; NaN when unknown. */
        double cpuMicros() {
            return cpuSecs * 1e6 / (samplesPerCollection * collections);
        }

        double all() {
            return samplesPerCollection * collections / (firstSecs + restSecs);
        }

        double known() {
            return samplesPerCollection * (collections - 1) / restSecs;
        }
    }

    private static final boolean GZIP = !"false".equals(System.getProperty("bench.gzip"));
    /** -Dbench.trace=true prints each pass's start and end (unix ms), to line a profile of a receiver up with the passes. */
    private static final boolean TRACE = Boolean.getBoolean("bench.trace");
    /** -Dbench.threads=true prints each pass's receiver CPU by thread kind (compiler, GC, HTTP workers...). */
    private static final boolean THREADS = Boolean.getBoolean("bench.threads");
    /** -Dbench.settle=false lets the peers' passes start right after Sandglass's (see IdleWait). */
    private static final boolean SETTLE = !"false".equals(System.getProperty("bench.settle"));

    public static void main(String[] args) throws Exception {
        int collections = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        List<String> names = new ArrayList<>();
        List<String> bases = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            names.add(args[i].substring(0, args[i].indexOf('=')));
            String target = args[i].substring(args[i].indexOf('=') + 1);
            int at = target.lastIndexOf('@');
            bases.add(at < 0 ? target : target.substring(0, at));
            pids.add(at < 0 ? -1L : Long.parseLong(target.substring(at + 1)));
        }
        long t0 = (System.currentTimeMillis() - collections * 1000L - 5000) / 1000 * 1000;
        long perCollection = (long) SANDBOXES * SERIES;
        long expected = collections * perCollection;
        System.out.printf("payloads: %d collections x %d sandboxes x %d series = %,d samples per pass; %d client threads; %d rounds,"
                + " receivers in turn (order rotated), new metric names every round%n", collections, SANDBOXES, SERIES, expected, threads, rounds);
        // An untimed pass of the same shape under other names first: the JVM's compiler warms up
        // (VictoriaMetrics and Prometheus are compiled ahead). Then, for a JVM receiver, more
        // untimed passes until its C2 compiler has settled (see warmUntilSettled).
        for (int i = 0; i < names.size(); i++) {
            warmPass(bases.get(i), names.get(i), "warm", threads, collections, t0);
            if (names.get(i).equals("sandglass")) {
                warmUntilSettled(bases.get(i), pids.get(i), threads, collections, t0);
            }
        }
        java.util.Map<String, List<Pass>> results = new java.util.LinkedHashMap<>();
        int sgAt = names.indexOf("sandglass");
        long sgPid = sgAt < 0 ? -1 : pids.get(sgAt);
        long sgLastQuery = 0;
        if (SETTLE && sgPid >= 0) {
            System.out.println("before each peer's pass: waiting for serve's idle collection (10 s after its last query) to be over");
        }
        for (int r = 0; r < rounds; r++) {
            byte[][][] rw = rw("r" + r + "_rw_m", threads, collections, t0);
            byte[][][] ot = otlp("r" + r + ".otlp.m", threads, collections, t0);
            byte[][][] oz = gzip(otlp("r" + r + ".otlpz.m", threads, collections, t0));
            if (r == 0) {
                System.out.printf("one request: remote write %,d bytes (snappy), OTLP %,d bytes (%,d gzipped)%n", rw[0][0].length,
                        ot[0][0].length, oz[0][0].length);
            }
            for (int k = 0; k < names.size(); k++) {
                int i = (k + r) % names.size();
                String name = names.get(i);
                String base = bases.get(i);
                long pid = pids.get(i);
                if (SETTLE && i != sgAt && sgPid >= 0 && sgLastQuery > 0) {
                    IdleWait.settle(sgPid, sgLastQuery);
                    sgLastQuery = 0;
                }
                Pass p = send(base + "/api/v1/write", pid, "application/x-protobuf", "snappy", rw, threads);
                report(results, r, name + " remote write", p, count(base, "r" + r + "_rw_m", t0 + (collections - 1) * 1000L, collections, expected), expected);
                if (name.equals("sandglass")) {
                    p = send(base + "/v1/metrics", pid, "application/x-protobuf", null, ot, threads);
                    report(results, r, name + " OTLP protobuf", p, count(base, "r" + r + "_otlp_m", t0 + (collections - 1) * 1000L, collections, expected), expected);
                    // msb-metrics' exporter may gzip (optional in OTLP/HTTP): the same samples so sent
                    // (-Dbench.gzip=false leaves it out, e.g. to profile plain OTLP beside remote write).
                    if (GZIP) {
                        p = send(base + "/v1/metrics", pid, "application/x-protobuf", "gzip", oz, threads);
                        report(results, r, name + " OTLP protobuf gzip", p, count(base, "r" + r + "_otlpz_m", t0 + (collections - 1) * 1000L, collections, expected), expected);
                    }
                }
                if (i == sgAt) {
                    sgLastQuery = System.currentTimeMillis();
                }
            }
        }
        System.out.println("summary (samples/s, median and range over the rounds; ratios are Sandglass over the other within each round):");
        for (var e : results.entrySet()) {
            List<Pass> ps = e.getValue();
            System.out.printf("  %-30s all %s   known series %s   first collection %s ms   receiver CPU %s us/sample%n", e.getKey(),
                    range(ps, Pass::all), range(ps, Pass::known), range(ps, p -> p.firstSecs() * 1000), range2(ps, Pass::cpuMicros));
        }
        List<Pass> sg = results.get("sandglass remote write");
        for (var e : results.entrySet()) {
            if (sg == null || e.getValue() == sg) {
                continue;
            }
            List<Pass> other = e.getValue();
            List<Double> all = new ArrayList<>();
            List<Double> known = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (int r = 0; r < Math.min(sg.size(), other.size()); r++) {
                all.add(sg.get(r).all() / other.get(r).all());
                known.add(sg.get(r).known() / other.get(r).known());
                cpu.add(other.get(r).cpuMicros() / sg.get(r).cpuMicros());
            }
            System.out.printf("  sandglass remote write / %-24s all %s   known series %s   CPU per sample (other's over ours) %s%n", e.getKey(),
                    ratios(all), ratios(known), ratios(cpu));
        }
    }

    /** One untimed pass of every kind the receiver is sent, under names starting with {@code prefix}. */
    static void warmPass(String base, String name, String prefix, int threads, int collections, long t0) throws Exception {
        send(base + "/api/v1/write", -1, "application/x-protobuf", "snappy", rw(prefix + "_rw_m", threads, collections, t0), threads);
        if (name.equals("sandglass")) {
            send(base + "/v1/metrics", -1, "application/x-protobuf", null, otlp(prefix + ".otlp.m", threads, collections, t0), threads);
            if (GZIP) {
                send(base + "/v1/metrics", -1, "application/x-protobuf", "gzip", gzip(otlp(prefix + ".otlpz.m", threads, collections, t0)), threads);
            }
        }
    }

    /** Most untimed warm-up rounds after the first (-Dbench.warmups, default 4; 0 keeps the single pass of before). */
    private static final int MORE_WARMUPS = Integer.getInteger("bench.warmups", 4);

    /**
     * Repeats the untimed pass until the receiver's C2 compiler threads took under a tenth of its
     * CPU in one (at most {@link #MORE_WARMUPS} more). Profiles of serve (bench/protocols-profile.py
     * and -Dbench.threads) showed one pass is not enough on 2 shared cores: C2 still took 0.1-0.4 s
     * of a 0.3-0.95 s pass in rounds 0-2, and a pass's CPU followed its C2 share, which is most of
     * the round-to-round spread. That is a property of a JVM's first minutes, not of its ingestion;
     * each pass's C2 CPU is printed, so what the timed rounds still pay is shown.
     */
    static void warmUntilSettled(String base, long pid, int threads, int collections, long t0) throws Exception {
        if (pid < 0) {
            return;
        }
        for (int w = 1; w <= MORE_WARMUPS; w++) {
            Map<String, Double> before = ThreadCpu.byKind(pid);
            warmPass(base, "sandglass", "warm" + w, threads, collections, t0);
            Map<String, Double> after = ThreadCpu.byKind(pid);
            double all = 0;
            double c2 = 0;
            for (var e : after.entrySet()) {
                double d = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
                all += d;
                c2 += e.getKey().startsWith("C2 CompilerThre") ? d : 0;
            }
            System.out.printf("warm-up round %d of the JVM receiver: CPU %.2f s, C2 compiler %.2f s (%.0f%%)%n", w, all, c2, 100 * c2 / Math.max(all, 1e-9));
            if (c2 < 0.1 * all) {
                return;
            }
        }
    }

    static void report(java.util.Map<String, List<Pass>> results, int round, String what, Pass p, long stored, long expected) {
        System.out.printf("round %d  %-30s all %,10.0f samples/s   known series %,10.0f samples/s   first collection %,7.0f ms   receiver CPU %.2f us/sample   stored %,d of %,d%s%n",
                round, what, p.all(), p.known(), p.firstSecs() * 1000, p.cpuMicros(), stored, expected, stored == expected ? "" : "  (NOT ALL STORED)");
        results.computeIfAbsent(what, k -> new ArrayList<>()).add(p);
    }

    static String range(List<Pass> ps, java.util.function.ToDoubleFunction<Pass> f) {
        double[] v = ps.stream().mapToDouble(f).sorted().toArray();
        return String.format("%,.0f (%,.0f-%,.0f)", v[v.length / 2], v[0], v[v.length - 1]);
    }

    static String range2(List<Pass> ps, java.util.function.ToDoubleFunction<Pass> f) {
        double[] v = ps.stream().mapToDouble(f).sorted().toArray();
        return String.format("%.2f (%.2f-%.2f)", v[v.length / 2], v[0], v[v.length - 1]);
    }

    static String ratios(List<Double> rs) {
        double[] v = rs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format("%.2fx (%.2f-%.2f)", v[v.length / 2], v[0], v[v.length - 1]);
    }

    static byte[][][] rw(String prefix, int threads, int collections, long t0) {
        byte[][][] out = new byte[threads][collections][];
        for (int k = 0; k < threads; k++) {
            for (int c = 0; c < collections; c++) {
                out[k][c] = Snappy.compress(RemoteProto.encodeWrite(remoteWrite(prefix, k, threads, t0 + c * 1000L, c)));
            }
        }
        return out;
    }

    static byte[][][] otlp(String prefix, int threads, int collections, long t0) {
        byte[][][] out = new byte[threads][collections][];
        for (int k = 0; k < threads; k++) {
            for (int c = 0; c < collections; c++) {
                out[k][c] = otlp(prefix, k, threads, t0 + c * 1000L, c).toByteArray();
            }
        }
        return out;
    }

    static byte[][][] gzip(byte[][][] bodies) throws java.io.IOException {
        byte[][][] out = new byte[bodies.length][][];
        for (int k = 0; k < bodies.length; k++) {
            out[k] = new byte[bodies[k].length][];
            for (int c = 0; c < bodies[k].length; c++) {
                java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
                try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(b)) {
                    z.write(bodies[k][c]);
                }
                out[k][c] = b.toByteArray();
            }
        }
        return out;
    }

    static List<RemoteProto.SeriesSamples> remoteWrite(String prefix, int shard, int shards, long t, int c) {
        List<RemoteProto.SeriesSamples> out = new ArrayList<>();
        for (int s = shard; s < SANDBOXES; s += shards) {
            for (int m = 0; m < SERIES; m++) {
                out.add(new RemoteProto.SeriesSamples(Labels.of("__name__", prefix + m, "job", "microsandbox", "instance", "bench",
                        "sandbox_name", "sbx-" + s, "sandbox_id", Integer.toString(s)), new long[] {t}, new double[] {value(s, m, c)}, 1));
            }
        }
        return out;
    }

    static ExportMetricsServiceRequest otlp(String prefix, int shard, int shards, long t, int c) {
        ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
        for (int m = 0; m < SERIES; m++) {
            Gauge.Builder g = Gauge.newBuilder();
            for (int s = shard; s < SANDBOXES; s += shards) {
                g.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(t * 1_000_000).setAsDouble(value(s, m, c))
                        .addAttributes(kv("sandbox.name", "sbx-" + s)).addAttributes(kv("sandbox.id", Integer.toString(s))));
            }
            scope.addMetrics(Metric.newBuilder().setName(prefix + m).setGauge(g));
        }
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "microsandbox")).addAttributes(kv("service.instance.id", "bench")))
                .addScopeMetrics(scope)).build();
    }

    static double value(int s, int m, int c) {
        return m < 8 ? (double) (c * 4096L + s * 7L + m) : 1e8 + s * 1024.5 + Math.sin(c + m);
    }

    static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    /**
     * Sends every payload, thread k its own in order: first every thread's first collection (all
     * series new), timed apart, then the rest.
     */
    static Pass send(String url, long pid, String type, String encoding, byte[][][] payloads, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            double cpu0 = cpuSecs(pid);
            java.util.Map<String, Double> threads0 = THREADS ? ThreadCpu.byKind(pid) : null;
            long a = System.nanoTime();
            run(pool, url, type, encoding, payloads, 0, 1);
            long b = System.nanoTime();
            run(pool, url, type, encoding, payloads, 1, payloads[0].length);
            long c = System.nanoTime();
            if (THREADS) {
                System.out.println("threads " + url + " " + encoding + ": " + ThreadCpu.delta(threads0, ThreadCpu.byKind(pid)));
            }
            if (TRACE) {
                long now = System.currentTimeMillis();
                System.out.printf("trace %s %s from %d first-done %d to %d%n", url, encoding, now - (c - a) / 1_000_000, now - (c - b) / 1_000_000, now);
            }
            return new Pass((b - a) / 1e9, (c - b) / 1e9, (long) SANDBOXES * SERIES, payloads[0].length, cpuSecs(pid) - cpu0);
        } finally {
            pool.shutdown();
        }
    }

    /**
     * CPU seconds a process has used (utime + stime of /proc/PID/stat, in clock ticks of 10 ms),
     * NaN without a pid. Unlike wall time, hardly moved by other work on a busy machine.
     */
    static double cpuSecs(long pid) throws java.io.IOException {
        if (pid < 0) {
            return Double.NaN;
        }
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    private static void run(ExecutorService pool, String url, String type, String encoding, byte[][][] payloads, int from, int to)
            throws Exception {
        List<Future<?>> done = new ArrayList<>();
        URI uri = URI.create(url);
        for (byte[][] mine : payloads) {
            done.add(pool.submit(() -> {
                try (BenchHttp http = new BenchHttp(uri.getHost(), uri.getPort())) {
                    for (int c = from; c < to; c++) {
                        BenchHttp.Response resp = encoding == null ? http.post(uri, mine[c], "Content-Type", type)
                                : http.post(uri, mine[c], "Content-Type", type, "Content-Encoding", encoding,
                                        "X-Prometheus-Remote-Write-Version", "0.1.0");
                        if (resp.status() / 100 != 2 || resp.body().contains("rejected")) {
                            throw new IllegalStateException(url + " answered " + resp.status() + ": " + resp.body());
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
    }

    static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.]+,\"([0-9.e+]+)\"\\]");

    /**
     * Samples the receiver holds for the benchmark's names, polled until complete or 30 s. One
     * query per name: count_over_time drops the name, so one query over all names would meet
     * Prometheus's duplicate-labelset error.
     */
    static long count(String base, String prefix, long end, int collections, long expected) throws Exception {
        long got = -1;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            got = 0;
            for (int m = 0; m < SERIES; m++) {
                String q = URLEncoder.encode("sum(count_over_time(" + prefix + m + "[" + (collections + 5) + "s]))", StandardCharsets.UTF_8);
                String url = base + "/api/v1/query?query=" + q + "&time=" + (end / 1000.0 + 0.5);
                String body = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
                Matcher mt = VALUE.matcher(body);
                got += mt.find() ? (long) Double.parseDouble(mt.group(1)) : 0;
            }
            if (got >= expected) {
                break;
            }
            Thread.sleep(500);
        }
        return got;
    }
}
