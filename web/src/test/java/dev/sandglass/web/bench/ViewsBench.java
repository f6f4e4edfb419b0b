package dev.sandglass.web.bench;

import dev.sandglass.ingest.collect.CollectLoop;
import dev.sandglass.ingest.collect.IngestMetrics;
import dev.sandglass.ingest.demo.DemoFleet;
import dev.sandglass.ingest.registry.Layout;
import dev.sandglass.ingest.registry.RegistryLocator;
import dev.sandglass.ingest.registry.RegistryReader;
import dev.sandglass.ingest.registry.RegistryWriter;
import dev.sandglass.query.engine.Engine;
import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.query.sandbox.HistoryReader;
import dev.sandglass.query.sandbox.SandboxHistory;
import dev.sandglass.query.sandbox.SandboxViews;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.web.api.ApiHandlers;
import dev.sandglass.web.api.ApiServer;
import dev.sandglass.web.api.EngineQueryService;
import dev.sandglass.web.api.JsonBytes;
import dev.sandglass.web.api.SandboxJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The sandbox views' figures (bench/views.sh): fleet-wide latest over 1024 sandboxes collected
 * every second, one sandbox's 24 h history at 1 s, and the CPU that 1,000 SSE subscribers add to a
 * server collecting 1024 sandboxes every second. Each prints a baseline measured in the same run.
 */
public final class ViewsBench {
    static final int FLEET = 1024;

    public static void main(String[] args) throws Exception {
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        switch (args[0]) {
            case "fleet" -> fleet(args.length > 1 ? Integer.parseInt(args[1]) : 15);
            case "history" -> history(args.length > 1 ? Integer.parseInt(args[1]) : 24);
            case "sse" -> sse(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "clients" -> clients(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("mode: fleet | history | sse");
        }
    }

    /** Collects {@code sandboxes} slots once a second of script time for {@code seconds}, ending now; returns the last sample time. */
    static long fill(Path tmp, Db db, int sandboxes, int seconds) throws IOException {
        long end = System.currentTimeMillis() / 1000 * 1000 - 1000;
        try (Fleet f = new Fleet(tmp, db, sandboxes, end - seconds * 1000L - 60_000)) {
            for (int r = 0; r < seconds; r++) {
                f.collect(r, end - (seconds - 1 - r) * 1000L);
                if (r % 600 == 599) {
                    db.seal(); // as the seal job does every 10 minutes
                }
            }
        }
        return end;
    }

    /** A registry of running sandboxes and the real collector writing their samples into the store. */
    static final class Fleet implements AutoCloseable {
        final RegistryWriter writer;
        final CollectLoop loop;
        final int sandboxes;
        final RegistryWriter.Sample s = new RegistryWriter.Sample();

        Fleet(Path tmp, Db db, int sandboxes, long startedAt) throws IOException {
            Files.createDirectories(tmp);
            RegistryLocator loc = new RegistryLocator(tmp.resolve("home").toString(), "bench", tmp);
            this.sandboxes = sandboxes;
            writer = RegistryWriter.create(loc.path(), Math.max(sandboxes, 4));
            for (int i = 0; i < sandboxes; i++) {
                writer.activate(i, i + 1, 1, 1000 + i, startedAt, String.format("sbx-%04d", i));
            }
            loop = new CollectLoop(new RegistryReader(loc, 1000), db, 1000, "bench", false, new IngestMetrics());
            s.flags = 0x7f;
            s.memoryLimit = 1L << 31;
        }

        /** Writes collection {@code r} of every sandbox, sampled at {@code t}, and collects it. */
        void collect(int r, long t) {
            s.sampledAt = t;
            for (int i = 0; i < sandboxes; i++) {
                s.cpuPercent = (r + i) % 100;
                s.memoryBytes = (1L << 28) + (r % 600) * 4096L + i;
                s.vcpuTimeNs = r * 500_000_000L;
                s.diskRead = r * 4096L;
                s.diskWrite = r * 8192L + i;
                s.netRx = r * 1000L;
                s.netTx = r * 300L;
                writer.writeSample(i, s);
            }
            loop.collectOnce();
            loop.prepareNext();
        }

        @Override
        public void close() {
            writer.close();
        }
    }

    static void fleet(int minutes) throws Exception {
        Path tmp = Files.createTempDirectory("sandglass-views-bench");
        try (Db db = Db.open(DbOptions.defaults(tmp.resolve("data")))) {
            long t = System.nanoTime();
            long end = fill(tmp, db, FLEET, minutes * 60);
            System.out.printf("filled: %d sandboxes x %d collections at 1 s through the collector in %.1f s%n", FLEET, minutes * 60, (System.nanoTime() - t) / 1e9);
            long now = end + 500;
            SandboxViews views = new SandboxViews(db);
            Engine engine = new Engine(EngineOptions.defaults());
            int[] n = new int[1];
            // A new SandboxViews per call keeps nothing between calls (no reused answer, no slots):
            // every call reads the store from scratch.
            long[] cold = time(200, () -> n[0] = new SandboxViews(db).fleet(now, 15 * 60_000L).size());
            print("fleet-wide latest, nothing kept between calls", cold);
            // What the first call after each collection pays: the store changed, the answer is read
            // again (slots and index selections kept, as in the server).
            long[] changed = time(200, () -> {
                views.invalidate();
                return n[0] = views.fleet(now, 15 * 60_000L).size();
            });
            print("fleet-wide latest, read again after a change", changed);
            long[] json = time(200, () -> {
                views.invalidate();
                JsonBytes b = new JsonBytes(600 << 10).raw('[');
                views.fleet(now, 15 * 60_000L).forEach(s -> SandboxJson.status(s, b.raw(',')));
                return b.raw(']').size();
            });
            print("  the same, with its JSON", json);
            long[] reused = time(400, () -> views.fleet(now, 15 * 60_000L).size());
            print("  no write since the last call: answer reused", reused);
            long[] promql = time(400, () -> engine.instant(db, "microsandbox_memory_usage_bytes", now).hashCode());
            print("baseline: PromQL instant query of one metric", promql);
            System.out.println("sandboxes in the answer: " + n[0]);
            System.out.printf("ratio p99 fleet latest read after a change / p99 one-metric PromQL: %.2f%n",
                    (double) changed[(int) (changed.length * 0.99)] / promql[(int) (promql.length * 0.99)]);
            FleetHttpBench.run(tmp, db, minutes * 60);
        } finally {
            deleteTree(tmp);
        }
    }

    /** Counts the bytes handed on and hands the chunk back for the next (as the server's reply does once a chunk is sent). */
    static JsonBytes.Sink reusing(long[] sent) {
        java.util.concurrent.ConcurrentLinkedQueue<byte[]> spare = new java.util.concurrent.ConcurrentLinkedQueue<>();
        return new JsonBytes.Sink() {
            @Override
            public void take(byte[] chunk, int length) {
                sent[0] += length;
                spare.offer(chunk);
            }

            @Override
            public byte[] next(int size) {
                byte[] b = spare.poll();
                return b != null && b.length >= size ? b : new byte[size];
            }
        };
    }

    /** CPU used so far by the threads whose name starts with {@code prefix}. */
    private static long threadCpu(String prefix) {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(prefix)) {
                sum += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    static void history(int hours) throws Exception {
        Path tmp = Files.createTempDirectory("sandglass-views-bench");
        try (Db db = Db.open(DbOptions.defaults(tmp.resolve("data")))) {
            long t = System.nanoTime();
            long end = fill(tmp, db, 1, hours * 3600);
            db.seal();
            System.out.printf("filled: 1 sandbox x %,d collections at 1 s through the collector in %.1f s%n", hours * 3600, (System.nanoTime() - t) / 1e9);
            HistoryReader reader = new HistoryReader(db, Long.MAX_VALUE);
            Engine engine = new Engine(EngineOptions.defaults());
            int[] n = new int[1];
            long[] read = time(20, () -> n[0] = reader.read("sbx-0000", null, end, 0).points().size());
            print("history, raw, all fields + rates", read);
            long[] json = time(20, () -> {
                SandboxHistory h = reader.read("sbx-0000", null, end, 0);
                // As the server writes it: in chunks, each handed on (here dropped) as it fills.
                long[] sent = {0};
                JsonBytes b = new JsonBytes(SandboxJson.CHUNK_BYTES, reusing(sent));
                SandboxJson.history(h, b);
                b.flush();
                return sent[0];
            });
            print("  the same, with its JSON", json);
            SandboxHistory once = reader.read("sbx-0000", null, end, 0);
            long[] jsonAlone = time(20, () -> {
                long[] sent = {0};
                JsonBytes b = new JsonBytes(SandboxJson.CHUNK_BYTES, reusing(sent));
                SandboxJson.history(once, b);
                b.flush();
                return sent[0];
            });
            print("  its JSON alone (one read, written again)", jsonAlone);
            long start = end - hours * 3_600_000L + 1000;
            long[] promql = time(20, () -> engine.range(db, "microsandbox_memory_usage_bytes{sandbox_name=\"sbx-0000\"}", start, end, 1000).hashCode());
            print("baseline: PromQL range query, one metric, step 1s", promql);
            System.out.println("points in the answer: " + n[0]);
            System.out.printf("ratio p50 history / p50 one-metric PromQL range: %.2f%n", (double) read[read.length / 2] / promql[promql.length / 2]);
        } finally {
            deleteTree(tmp);
        }
    }

    /** Server side: a 1024-sandbox demo fleet collected every second; CPU without and with the clients. */
    static void sse(int subscribers, int seconds) throws Exception {
        Path tmp = Files.createTempDirectory("sandglass-views-bench");
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Db db = Db.open(DbOptions.defaults(tmp.resolve("data"))); DemoFleet fleet = new DemoFleet(tmp.resolve("home"), FLEET, 1)) {
            fleet.start();
            CollectLoop loop = new CollectLoop(new RegistryReader(fleet.locator(), 5000), db, 1000, "bench", false, new IngestMetrics());
            loop.start();
            ApiHandlers h = new ApiHandlers(() -> db, new EngineQueryService(EngineOptions.defaults()),
                    new ApiHandlers.Options(60_000, 4, "bench", "bench", "bench"), List.of());
            try (ApiServer server = ApiServer.start("127.0.0.1", 0, h)) {
                Thread.sleep(5000); // warm up the collector
                settle();
                LongSupplier cpu = os::getProcessCpuTime;
                java.util.Map<String, Long> threads0 = threadGroupsCpu();
                long gc0 = gcMillis();
                double base = cpuShare(cpu, seconds);
                java.util.Map<String, Long> baseThreads = minus(threadGroupsCpu(), threads0);
                long baseGc = gcMillis() - gc0;
                System.out.printf("baseline: collector of %d sandboxes at 1 s + fleet writer + idle server: %.2f%% of one core%n", FLEET, 100 * base);
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                Process clients = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ViewsBench.class.getName(),
                        "clients", Integer.toString(server.port()), Integer.toString(subscribers), Integer.toString(seconds + 300))
                        .redirectErrorStream(true).start();
                BufferedReader out = new BufferedReader(new InputStreamReader(clients.getInputStream()));
                String line;
                while ((line = out.readLine()) != null && !line.startsWith("connected")) {
                    System.out.println("client: " + line);
                }
                System.out.println("client: " + line + "; server hub subscribers: " + server.sandboxHub().subscribers());
                // Let the JIT compiler finish with the streaming paths before measuring (on a busy
                // machine that takes more than a few seconds).
                settle();
                long reads0 = server.sandboxHub().reads();
                long streamCpu0 = streamThreadsCpu();
                java.util.Map<String, Long> threads1 = threadGroupsCpu();
                long gc1 = gcMillis();
                double with = cpuShare(cpu, seconds);
                long streamCpu = streamThreadsCpu() - streamCpu0;
                java.util.Map<String, Long> withThreads = minus(threadGroupsCpu(), threads1);
                long withGc = gcMillis() - gc1;
                long reads = server.sandboxHub().reads() - reads0;
                System.out.printf("with %d subscribers at 1 s: %.2f%% of one core; store reads by the hub: %d in %d s%n",
                        subscribers, 100 * with, reads, seconds);
                System.out.printf("SSE cost beyond the collector: %.2f%% of one core%n", 100 * (with - base));
                double jitDelta = (withThreads.getOrDefault("C2 CompilerThre", 0L) + withThreads.getOrDefault("C1 CompilerThre", 0L)
                        - baseThreads.getOrDefault("C2 CompilerThre", 0L) - baseThreads.getOrDefault("C1 CompilerThre", 0L)) / (seconds * 1e9);
                System.out.printf("  the same without the JIT compilers' difference (%.2f%%, warm-up, not serving): %.2f%% of one core%n",
                        100 * jitDelta, 100 * (with - base - jitDelta));
                System.out.printf("  of which the hub's thread and the event loops (their own CPU, less noisy than the difference): %.2f%% of one core%n",
                        100.0 * streamCpu / (seconds * 1e9));
                System.out.println("  by thread, from /proc (% of one core, without -> with subscribers; the clients run in their own JVM, not counted):");
                java.util.TreeSet<String> names = new java.util.TreeSet<>(baseThreads.keySet());
                names.addAll(withThreads.keySet());
                for (String n : names) {
                    double b = 100.0 * baseThreads.getOrDefault(n, 0L) / (seconds * 1e9);
                    double w = 100.0 * withThreads.getOrDefault(n, 0L) / (seconds * 1e9);
                    if (b >= 0.05 || w >= 0.05) {
                        System.out.printf("    %-34s %6.2f%% -> %6.2f%%%n", n, b, w);
                    }
                }
                System.out.printf("    GC pauses (wall, all collectors)   %4d ms -> %4d ms in %d s%n", baseGc, withGc, seconds);
                clients.getOutputStream().write('\n'); // done: the clients print their figures and exit
                clients.getOutputStream().flush();
                while ((line = out.readLine()) != null) {
                    System.out.println("client: " + line);
                }
                clients.waitFor();
            }
            loop.close();
        } finally {
            deleteTree(tmp);
        }
    }

    /** CPU used so far by the threads that serve the streams: the hub's and Vert.x's event loops. */
    /**
     * CPU so far (ns) by thread, threads of one pool summed (numbers stripped from their names),
     * from /proc/self/task: the JVM's own threads too (JIT compilers, GC), which the Java thread
     * list does not show. Names are the OS's (15 characters at most). 10 ms resolution.
     */
    private static java.util.Map<String, Long> threadGroupsCpu() {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        try (java.nio.file.DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim().replaceAll("[-#]?\\d+$", "");
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                    out.merge(name, ticks * 10_000_000L, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Waits until the JIT compilers use under 1% of a core over 5 s (90 s at most), and says so. */
    private static void settle() throws InterruptedException {
        long until = System.nanoTime() + 90_000_000_000L;
        double jit;
        do {
            long j0 = jitCpu();
            Thread.sleep(5000);
            jit = (jitCpu() - j0) / 5e9;
        } while (jit > 0.01 && System.nanoTime() < until);
        System.out.printf("JIT compilers settled: %.2f%% of one core over the last 5 s%n", 100 * jit);
    }

    private static long jitCpu() {
        java.util.Map<String, Long> t = threadGroupsCpu();
        return t.getOrDefault("C2 CompilerThre", 0L) + t.getOrDefault("C1 CompilerThre", 0L);
    }

    private static java.util.Map<String, Long> minus(java.util.Map<String, Long> a, java.util.Map<String, Long> b) {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        a.forEach((k, v) -> out.put(k, v - b.getOrDefault(k, 0L)));
        return out;
    }

    private static long gcMillis() {
        long sum = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    private static long streamThreadsCpu() {
        return threadCpu("sandglass-sandbox-stream") + threadCpu("vert.x-eventloop");
    }

    private static double cpuShare(LongSupplier cpuNanos, int seconds) throws InterruptedException {
        long c0 = cpuNanos.getAsLong();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        return (double) (cpuNanos.getAsLong() - c0) / (System.nanoTime() - t0);
    }

    /** Client side (its own process, so its CPU is not counted): one stream per sandbox, counting events. */
    static void clients(int port, int n, int seconds) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/sandboxes?since=1m")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\\{\"name\":\"([^\"]+)\",\"state\":\"running\"").matcher(list);
        List<String> names = new java.util.ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        AtomicLong events = new AtomicLong();
        AtomicLong ended = new AtomicLong();
        AtomicLong started = new AtomicLong();
        for (int i = 0; i < n; i++) {
            String name = names.get(i % names.size());
            http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/sandboxes/" + name + "/stream?interval=1s")).build(),
                    HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                        @Override
                        public void onSubscribe(Flow.Subscription s) {
                            s.request(Long.MAX_VALUE);
                        }

                        private boolean first = true;

                        @Override
                        public void onNext(String line) {
                            if (line.startsWith("event:")) {
                                events.incrementAndGet();
                                if (first) {
                                    first = false;
                                    started.incrementAndGet();
                                }
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            ended.incrementAndGet();
                        }

                        @Override
                        public void onComplete() {
                            ended.incrementAndGet();
                        }
                    }));
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (started.get() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        System.out.println("connected " + started.get() + " of " + n + " streams over " + Math.min(n, names.size()) + " sandboxes");
        long e0 = events.get();
        long t0 = System.nanoTime();
        // Until the server is done measuring (a line on stdin), or {@code seconds} at most.
        long until = t0 + seconds * 1_000_000_000L;
        while (System.in.available() == 0 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("events in the last %.0f s: %,d (%.0f/s); streams ended by a stop or error: %d%n", s, events.get() - e0,
                (events.get() - e0) / s, ended.get());
        System.exit(0);
    }

    interface Work {
        long run() throws Exception;
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** Process CPU per call of the last {@link #time} (all threads: the store reads in parallel). */
    private static double cpuPerCallNs;
    /** CPU of the calling thread alone per call: without the JIT compiler's and background threads' share. */
    private static double threadCpuPerCallNs;

    static long[] time(int rounds, Work w) throws Exception {
        long sink = 0;
        for (int i = 0; i < Math.max(5, rounds / 5); i++) {
            sink += w.run(); // warm-up
        }
        long[] ns = new long[rounds];
        long cpu0 = OS.getProcessCpuTime();
        long thread0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            sink += w.run();
            ns[i] = System.nanoTime() - t;
        }
        cpuPerCallNs = (OS.getProcessCpuTime() - cpu0) / (double) rounds;
        threadCpuPerCallNs = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - thread0) / (double) rounds;
        if (sink == 42) {
            System.out.print("");
        }
        Arrays.sort(ns);
        return ns;
    }

    static void print(String what, long[] ns) {
        System.out.printf("%-50s wall p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms | CPU %7.2f ms/call, its thread %6.2f (%d runs)%n", what,
                ns[ns.length / 2] / 1e6, ns[(int) (ns.length * 0.99)] / 1e6, ns[ns.length - 1] / 1e6, cpuPerCallNs / 1e6, threadCpuPerCallNs / 1e6, ns.length);
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
