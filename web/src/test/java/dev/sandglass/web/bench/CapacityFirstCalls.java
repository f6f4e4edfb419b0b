package dev.sandglass.web.bench;

import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.web.api.ApiHandlers;
import dev.sandglass.web.api.ApiServer;
import dev.sandglass.web.api.EngineQueryService;
import dev.sandglass.web.api.EngineWarmup;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

/**
 * The capacity report's first calls on a freshly started server, as a user meets them: opens the
 * store, starts the API on loopback, optionally runs serve's start-up warm-up first (on its own
 * synthetic store, as {@code serve} does), then times CALLS requests of /api/v1/capacity one
 * after the other, each with where its time went: wall, process CPU, JIT compile time, GC time
 * and classes loaded during it.
 * Usage: CapacityFirstCalls DIR END_UNIX_S RANGE_HOURS CALLS warmup|nowarmup
 */
public final class CapacityFirstCalls {
    public static void main(String[] args) throws Exception {
        System.setProperty("chronicle.analytics.disable", "true");
        Path dir = Path.of(args[0]);
        int calls = Integer.parseInt(args[3]);
        boolean warm = args[4].equals("warmup");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var jit = ManagementFactory.getCompilationMXBean();
        var classes = ManagementFactory.getClassLoadingMXBean();
        List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
        long t0 = System.nanoTime();
        try (Db db = Db.open(DbOptions.defaults(dir).asReadOnly())) {
            System.out.printf("open: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            EngineQueryService engine = new EngineQueryService(new EngineOptions(300_000, 1_800_000, 2_000_000_000L, 60_000));
            ApiHandlers h = new ApiHandlers(() -> db, engine, new ApiHandlers.Options(1_800_000, 2, "bench", "", ""), List.of());
            try (ApiServer server = ApiServer.start("127.0.0.1", 0, h)) {
                if (warm) {
                    long w0 = System.nanoTime();
                    long c0 = os.getProcessCpuTime();
                    Thread t = new EngineWarmup(engine, 16, 1, 60).startInBackground(() -> false,
                            URI.create("http://127.0.0.1:" + server.port() + "/"));
                    t.join();
                    System.out.printf("warm-up: %d ms wall, %d ms CPU%n", (System.nanoTime() - w0) / 1_000_000, (os.getProcessCpuTime() - c0) / 1_000_000);
                }
                HttpClient http = HttpClient.newHttpClient();
                // The client's own first request loads ~250 classes of java.net.http: not the server's cost, so paid here.
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/status/buildinfo")).build(),
                        HttpResponse.BodyHandlers.ofString());
                URI uri = URI.create("http://127.0.0.1:" + server.port() + "/api/v1/capacity?range=" + args[2] + "h&end=" + args[1]);
                for (int i = 0; i < calls; i++) {
                    long c0 = os.getProcessCpuTime();
                    long j0 = jit.getTotalCompilationTime();
                    long g0 = gcs.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
                    long k0 = classes.getTotalLoadedClassCount();
                    long w0 = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(r.statusCode() + " " + r.body());
                    }
                    System.out.printf("call %d: %5d ms wall, %5d ms process CPU, JIT %4d ms, GC %4d ms, %4d classes loaded, %,d bytes%n", i + 1,
                            (System.nanoTime() - w0) / 1_000_000, (os.getProcessCpuTime() - c0) / 1_000_000, jit.getTotalCompilationTime() - j0,
                            gcs.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum() - g0, classes.getTotalLoadedClassCount() - k0,
                            r.body().length());
                }
            }
        }
        System.out.printf("load average %.1f%n", os.getSystemLoadAverage());
    }
}
