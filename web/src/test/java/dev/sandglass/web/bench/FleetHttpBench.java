package dev.sandglass.web.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.Db;
import dev.sandglass.web.api.ApiHandlers;
import dev.sandglass.web.api.ApiServer;
import dev.sandglass.web.api.EngineQueryService;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * GET /api/v1/sandboxes over HTTP while the collector writes all sandboxes every second (so the
 * answer changes every second), polled every 50 ms. Each round alternates the default list
 * (rendered off the request path after each collection), the same with gzip (decompressed by the
 * client, in the time), the list with a window given ({@code ?since=15m}: a worker thread and the
 * views' cache), and {@code /-/healthy} (the floor: client, event loop, machine). Run twice: the
 * client in the server's JVM (the JDK's HttpClient, as the figures before), then in its own JVM
 * (a plain kept-alive HTTP/1.1 connection, as curl or an SDK calls it), so the server's GC pauses
 * and threads no longer stop or crowd the client's own. Every call slower than {@link #SLOW_NS} is
 * put down to what overlapped it in the server: a GC pause, a collection (the collector's
 * read, commit and filing into the head), or the 30 ms after one (the fleet renderer's work), else
 * "other" (the machine, the client).
 */
final class FleetHttpBench {
    static final long SLOW_NS = 5_000_000;
    static final int CALLS = 400;
    static final String[] PATHS = {"/api/v1/sandboxes", "/api/v1/sandboxes", "/api/v1/sandboxes?since=15m", "/-/healthy"};
    static final String[] WHAT = {"HTTP GET /api/v1/sandboxes, 1 collection/s", "  the same, Accept-Encoding: gzip (+ unzip)",
        "  ?since=15m: worker path, views' cached answer", "  floor: GET /-/healthy"};

    private FleetHttpBench() {
    }

    /** Epoch microseconds: comparable between this JVM and the client's. */
    static long micros() {
        Instant t = Clock.systemUTC().instant();
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    }

    /** One measured call: which of {@link #PATHS}, when it started (epoch µs), how long it took. */
    record Call(int kind, long startMicros, long ns) {
    }

    static void run(Path tmp, Db db, int collected) throws Exception {
        ApiHandlers h = new ApiHandlers(() -> db, new EngineQueryService(EngineOptions.defaults()),
                new ApiHandlers.Options(60_000, 4, "bench", "bench", "bench"), List.of());
        ConcurrentLinkedQueue<long[]> collections = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<long[]> pauses = new ConcurrentLinkedQueue<>();
        listenForPauses(pauses);
        try (ApiServer server = ApiServer.start("127.0.0.1", 0, h);
             ViewsBench.Fleet fleet = new ViewsBench.Fleet(tmp.resolve("live"), db, ViewsBench.FLEET, System.currentTimeMillis() - 60_000)) {
            ScheduledExecutorService collector = Executors.newSingleThreadScheduledExecutor();
            int[] r = {collected};
            collector.scheduleAtFixedRate(() -> {
                long t0 = micros();
                fleet.collect(r[0]++, System.currentTimeMillis());
                collections.add(new long[] {t0, micros()});
            }, 0, 1000, TimeUnit.MILLISECONDS);
            List<String> clients = new ArrayList<>(List.of("in the server's JVM (JDK HttpClient)", "in its own JVM (one kept-alive HTTP/1.1 connection)"));
            if ("own".equals(System.getenv("VIEWS_CLIENT_FIRST"))) {
                java.util.Collections.reverse(clients); // to see that the order (the JIT's warm-up) does not make the difference
            }
            // One untimed pass first: the server's paths compiled by the JIT before either client is timed
            // (timed first without it, either client's p99 carried the warm-up).
            inProcess(server.port(), new long[PATHS.length]);
            for (String where : clients) {
                collections.clear();
                pauses.clear();
                long renders0 = server.fleetRendererRenders();
                long t0 = System.nanoTime();
                long[] bytes = new long[PATHS.length];
                List<Call> calls = where.startsWith("in the server") ? inProcess(server.port(), bytes) : ownProcess(server.port(), bytes);
                double wall = (System.nanoTime() - t0) / 1e9;
                System.out.println("client " + where + ":");
                report(calls, new ArrayList<>(collections), new ArrayList<>(pauses));
                System.out.printf("  (%d rounds of the 4 calls, one every 50 ms; %d collections of %d sandboxes, %d answers rendered in %.1f s;"
                        + " %,d bytes per answer, %,d gzipped)%n", CALLS, collections.size(), ViewsBench.FLEET,
                        server.fleetRendererRenders() - renders0, wall, bytes[0], bytes[1]);
            }
            collector.shutdown();
            collector.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Pause windows (epoch µs) of the collectors' pauses, from their notifications. */
    private static void listenForPauses(ConcurrentLinkedQueue<long[]> pauses) {
        long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, hb) -> {
                if (n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
                    long start = (jvmStartMs + info.getStartTime()) * 1000;
                    pauses.add(new long[] {start, start + Math.max(1, info.getDuration()) * 1000});
                }
            }, null, null);
        }
    }

    private static List<Call> inProcess(int port, long[] bytes) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest[] gets = new HttpRequest[PATHS.length];
        for (int k = 0; k < gets.length; k++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PATHS[k]));
            gets[k] = (k == 1 ? b.header("Accept-Encoding", "gzip") : b).build();
        }
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < 40 + CALLS; i++) {
            for (int k = 0; k < gets.length; k++) {
                long at = micros();
                long t = System.nanoTime();
                HttpResponse<byte[]> res = http.send(gets[k], HttpResponse.BodyHandlers.ofByteArray());
                unzip(res.statusCode(), res.body(), res.headers().firstValue("Content-Encoding").orElse(""), PATHS[k]);
                long ns = System.nanoTime() - t;
                bytes[k] = res.body().length;
                if (i >= 40) { // the first 40 rounds warm up
                    calls.add(new Call(k, at, ns));
                }
            }
            Thread.sleep(50);
        }
        return calls;
    }

    /** Checks the status; unzips a gzipped body (part of the call's time, as for any client). */
    static void unzip(int status, byte[] body, String encoding, String path) throws Exception {
        if (status != 200) {
            throw new IllegalStateException(path + ": " + status);
        }
        if (encoding.equals("gzip")) {
            try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                in.readAllBytes();
            }
        }
    }

    private static List<Call> ownProcess(int port, long[] bytes) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FleetHttpBench.class.getName(), Integer.toString(port))
                .redirectErrorStream(true).start();
        List<Call> calls = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                String[] f = line.split(" ");
                if (f[0].equals("call")) {
                    calls.add(new Call(Integer.parseInt(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])));
                } else if (f[0].equals("bytes")) {
                    for (int k = 0; k < bytes.length; k++) {
                        bytes[k] = Long.parseLong(f[k + 1]);
                    }
                } else {
                    System.out.println("client: " + line);
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the client failed");
        }
        return calls;
    }

    /** The client in its own JVM: prints "call KIND START_MICROS NS" per measured call, then "bytes ...". */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long[] bytes = new long[PATHS.length];
        StringBuilder out = new StringBuilder();
        try (BenchHttp http = new BenchHttp("127.0.0.1", port)) {
            for (int i = 0; i < 40 + CALLS; i++) {
                for (int k = 0; k < PATHS.length; k++) {
                    URI uri = URI.create("http://127.0.0.1:" + port + PATHS[k]);
                    long at = micros();
                    long t = System.nanoTime();
                    BenchHttp.Raw res = k == 1 ? http.get(uri, "Accept-Encoding", "gzip") : http.get(uri);
                    unzip(res.status(), res.body(), res.encoding(), PATHS[k]);
                    long ns = System.nanoTime() - t;
                    bytes[k] = res.body().length;
                    if (i >= 40) {
                        out.append("call ").append(k).append(' ').append(at).append(' ').append(ns).append('\n');
                    }
                }
                Thread.sleep(50);
            }
        }
        System.out.print(out);
        System.out.println("bytes " + Arrays.toString(bytes).replaceAll("[\\[\\],]", ""));
    }

    private static void report(List<Call> calls, List<long[]> collections, List<long[]> pauses) {
        for (int k = 0; k < PATHS.length; k++) {
            int kind = k;
            long[] ns = calls.stream().filter(c -> c.kind == kind).mapToLong(Call::ns).sorted().toArray();
            System.out.printf("%-50s wall p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms (%d calls)%n", WHAT[k], ns[ns.length / 2] / 1e6,
                    ns[(int) (ns.length * 0.99)] / 1e6, ns[ns.length - 1] / 1e6, ns.length);
        }
        int[] by = new int[4];
        for (Call c : calls) {
            if (c.ns >= SLOW_NS) {
                long from = c.startMicros;
                long to = from + c.ns / 1000;
                by[overlaps(pauses, from, to, 0) ? 0 : overlaps(collections, from, to, 0) ? 1 : overlaps(collections, from, to, 30_000) ? 2 : 3]++;
            }
        }
        long[] pauseMs = pauses.stream().mapToLong(p -> (p[1] - p[0]) / 1000).sorted().toArray();
        long[] collectMs = collections.stream().mapToLong(p -> (p[1] - p[0]) / 1000).sorted().toArray();
        System.out.printf("  calls over %d ms: %d; overlapping a GC pause %d, a collection %d, the 30 ms after one (rendering) %d, none of these %d%n",
                SLOW_NS / 1_000_000, by[0] + by[1] + by[2] + by[3], by[0], by[1], by[2], by[3]);
        System.out.printf("  server: %d GC pauses (max %d ms, total %d ms); collections p50 %d ms, max %d ms%n", pauseMs.length,
                pauseMs.length == 0 ? 0 : pauseMs[pauseMs.length - 1], Arrays.stream(pauseMs).sum(),
                collectMs.length == 0 ? 0 : collectMs[collectMs.length / 2], collectMs.length == 0 ? 0 : collectMs[collectMs.length - 1]);
    }

    /** Whether [from, to] meets a window widened by {@code after} µs at its end. */
    private static boolean overlaps(List<long[]> windows, long from, long to, long after) {
        for (long[] w : windows) {
            if (from <= w[1] + after && to >= w[0]) {
                return true;
            }
        }
        return false;
    }
}
