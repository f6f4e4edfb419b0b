package dev.sandglass.web.cli;

import dev.sandglass.ingest.collect.CollectLoop;
import dev.sandglass.ingest.collect.IngestMetrics;
import dev.sandglass.ingest.demo.DemoFleet;
import dev.sandglass.ingest.registry.RegistryLocator;
import dev.sandglass.ingest.registry.RegistryReader;
import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.web.api.ApiHandlers;
import dev.sandglass.web.api.ApiServer;
import dev.sandglass.web.api.EngineQueryService;
import dev.sandglass.web.api.EngineWarmup;
import dev.sandglass.web.api.IdleMemory;
import dev.sandglass.web.api.MetricsSource;
import dev.sandglass.web.api.QueryService;
import dev.sandglass.web.http.ServerOptions;
import dev.sandglass.web.api.RouteModule;
import dev.sandglass.web.remote.ProtocolRoutes;
import dev.sandglass.web.remote.RemoteWriteSenders;
import dev.sandglass.web.remote.WriteMetrics;
import dev.sandglass.web.remote.WriteOptions;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Collect the microsandbox registry into the store and serve the Prometheus-compatible API.")
final class ServeCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = "sandglass-data", description = "data directory (default: ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--listen", defaultValue = "127.0.0.1:9470", description = "HOST:PORT to serve HTTP on (default: ${DEFAULT-VALUE})")
    String listen;

    @Option(names = "--msb-home", description = "microsandbox home whose registry to read (default: $MSB_HOME, else ~/.microsandbox)")
    String msbHome;

    @Option(names = "--collect-interval", defaultValue = "1s", converter = FlagValues.CollectInterval.class,
            description = "how often to collect the registry (default: ${DEFAULT-VALUE})")
    long intervalMs;

    @Option(names = "--retention", defaultValue = "15d", converter = Converters.DurationMs.class,
            description = "drop data older than this (default: ${DEFAULT-VALUE})")
    long retentionMs;

    @Option(names = "--rollup-retention", defaultValue = "400d", converter = Converters.DurationMs.class,
            description = "drop 5-minute and 1-hour rollups older than this (default: ${DEFAULT-VALUE})")
    long rollupRetentionMs;

    @Option(names = "--retention-size", converter = FlagValues.PositiveSize.class,
            description = "keep everything in the data dir under this size, e.g. 512MB or 10GiB (default: no limit)")
    long retentionSize;

    @Option(names = "--demo", arity = "0..1", fallbackValue = "8", paramLabel = "N",
            description = "also run a simulated fleet of N sandboxes (default 8) writing a real registry under a private home")
    Integer demo;

    @Option(names = "--series-run-labels", description = "label every series with run_id and pid (as msb-metrics' opt-in does)")
    boolean runLabels;

    @Option(names = "--query.timeout", defaultValue = "2m", converter = Converters.DurationMs.class,
            description = "longest a query may run (default: ${DEFAULT-VALUE})")
    long queryTimeoutMs;

    @Option(names = "--query.max-samples", defaultValue = "50000000", converter = FlagValues.Positive.class,
            description = "most samples a query may hold in memory (default: ${DEFAULT-VALUE})")
    long maxSamples;

    @Option(names = "--query.max-concurrency", defaultValue = "4", converter = FlagValues.PositiveInt.class, description = "queries run at once (default: ${DEFAULT-VALUE})")
    int maxConcurrency;

    @Option(names = "--memory.limit", converter = FlagValues.PositiveSize.class, paramLabel = "SIZE",
            description = "memory budget: the launcher sizes the heap from it, and the query sample limit and concurrency"
                    + " are lowered to fit it (default: none, the JVM sizes the heap)")
    Long memoryLimit;

    @Option(names = "--warmup", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "at start, run the usual query shapes over a synthetic fleet in a temporary store for a few seconds,"
                    + " so the first real queries run compiled code (--no-warmup skips it)")
    boolean warmup;

    @picocli.CommandLine.Mixin
    SourceFlags sources = new SourceFlags();

    @Option(names = "--web.config.file", paramLabel = "FILE",
            description = "TLS and basic auth, in the file format of Prometheus's --web.config.file (exporter-toolkit)")
    Path webConfigFile;

    @Option(names = "--web.read-only", description = "serve reads only: other requests (writes, admin) get 403")
    boolean readOnly;

    @Option(names = "--web.read-timeout", defaultValue = "1m", converter = Converters.DurationMs.class,
            description = "longest a client may take to send a whole request; idle connections close after it too (default: ${DEFAULT-VALUE})")
    long readTimeoutMs;
    @Option(names = "--otlp.max-body", defaultValue = "16MiB", converter = Converters.SizeBytes.class,
            description = "largest OTLP request body, as sent and once gunzipped (default: ${DEFAULT-VALUE})")
    long otlpMaxBody;

    @Option(names = "--remote-write.max-body", defaultValue = "32MiB", converter = Converters.SizeBytes.class,
            description = "largest remote-write body, as sent and once snappy-decoded (default: ${DEFAULT-VALUE})")
    long remoteWriteMaxBody;

    @Option(names = "--web.disable-write", description = "turn off every write endpoint (OTLP, remote write): they answer 404")
    boolean disableWrite;

    @Option(names = "--remote-write", paramLabel = "URL",
            description = "forward every ingested sample to this Prometheus remote-write receiver (repeatable)")
    List<String> remoteWrite = new java.util.ArrayList<>();

    @Option(names = "--remote-write.basic-auth-user", paramLabel = "USER", description = "basic auth user for --remote-write")
    String rwUser;

    @Option(names = "--remote-write.basic-auth-password-file", paramLabel = "FILE", description = "file holding the basic auth password")
    Path rwPasswordFile;

    @Option(names = "--remote-write.bearer-token-file", paramLabel = "FILE",
            description = "file holding a bearer token for --remote-write (read at every request)")
    Path rwTokenFile;

    @Option(names = "--remote-write.header", paramLabel = "NAME=VALUE", description = "extra header on remote-write requests (repeatable)")
    java.util.Map<String, String> rwHeaders = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        HostPort hp = HostPort.parse(listen);
        ServerOptions serverOptions = Access.serverOptions(hp.host(), webConfigFile, readOnly, readTimeoutMs, System.err);
        Signals signals = new Signals();
        DbOptions dbOptions = (RetentionFlag.given(spec)
                ? DbOptions.defaults(dataDir).withRetention(retentionMs, retentionSize)
                : DbOptions.defaults(dataDir).withDefaultRetention(retentionMs, retentionSize)).withRollupRetention(rollupRetentionMs);
        DemoFleet fleet = null;
        try (Db db = Db.open(dbOptions)) {
            RegistryLocator locator;
            if (demo != null) {
                if (demo < 1) {
                    throw new IllegalArgumentException("--demo needs at least 1 sandbox");
                }
                Path home = dataDir.toAbsolutePath().resolve("demo-home");
                fleet = new DemoFleet(home, demo, 1);
                fleet.start();
                locator = fleet.locator();
            } else {
                locator = RegistryLocator.resolve(msbHome, RegistryLocator.DEFAULT_SHM);
            }
            IngestMetrics metrics = new IngestMetrics();
            dev.sandglass.ingest.source.SourceHealthSet health = new dev.sandglass.ingest.source.SourceHealthSet();
            WriteMetrics writeMetrics = new WriteMetrics();
            WriteOptions writeOptions = new WriteOptions(otlpMaxBody, remoteWriteMaxBody, disableWrite);
            CollectLoop loop = new CollectLoop(new RegistryReader(locator, 5000), db, intervalMs, hostName(), runLabels, metrics);
            loop.reportHealth(health.register("registry", locator.path().toString()).loggedElsewhere());
            MetricsSource storeStats = out -> out.append("# HELP sandglass_storage_series Series in the index.\n")
                    .append("# TYPE sandglass_storage_series gauge\nsandglass_storage_series ").append(db.seriesCount()).append('\n')
                    .append("# HELP sandglass_storage_blocks Sealed blocks.\n# TYPE sandglass_storage_blocks gauge\nsandglass_storage_blocks ")
                    .append(db.blockCount()).append('\n').append(db.health().writePrometheusTextString()).append(IngestHealth.text(db));
            RemoteWriteSenders senders = RemoteWriteSenders.start(db, remoteWrite, rwUser, rwPasswordFile, rwTokenFile, rwHeaders,
                    dataDir.resolve("remote-write"), hostName());
            MemoryBudget budget = MemoryBudget.of(memoryLimit == null ? MemoryBudget.NONE : memoryLimit, Runtime.getRuntime().maxMemory(),
                    maxSamples, maxConcurrency);
            QueryService queries = new EngineQueryService(new EngineOptions(5 * 60_000L, queryTimeoutMs, budget.maxSamples(), 60_000L));
            ApiHandlers handlers = new ApiHandlers(() -> db, queries,
                    new ApiHandlers.Options(queryTimeoutMs, budget.maxConcurrency(), Main.VERSION, "unknown", "unknown"),
                    List.of(metrics::writePrometheusText, storeStats, health::writePrometheusText, writeMetrics,
                            out -> senders.writePrometheusText(out)));
            handlers.readiness(() -> !metrics.stalled(System.currentTimeMillis()));
            db.limitHead(budget.heapBytes() / 4);
            IngestHealth ingestHealth = new IngestHealth(metrics);
            handlers.degraded(ingestHealth::degraded);
            List<RouteModule> routes = ProtocolRoutes.all(db, writeOptions, writeMetrics, budget.maxSamples());
            try (SourceFlags.Running running = sources.start(db, intervalMs, hostName(), health, "Sandglass/" + Main.VERSION);
                 ApiServer server = ApiServer.start(hp.host(), hp.port(), handlers, serverOptions, routes,
                         router -> {
                             dev.sandglass.web.api.InstanceRoutes.register(router, () -> db);
                             dev.sandglass.web.api.IngestStatusRoutes.register(router, health, db.headBudget(), ingestHealth::degraded);
                         })) {
                loop.start(); // after the source flags were checked: a bad one stops start-up before anything runs
                String scheme = serverOptions.web() != null && serverOptions.web().tls() ? "https" : "http";
                System.out.println("sandglass " + Main.VERSION + " serving " + scheme + "://" + hp.display() + ":" + server.port() + "/");
                System.out.println("  data dir:  " + dataDir.toAbsolutePath());
                System.out.println("  memory:    " + budget.describe());
                System.out.println("  registry:  " + locator.path() + " (" + locator.describeHome() + ")");
                if (fleet != null) {
                    System.out.println("  demo:      " + demo + " simulated sandboxes writing that registry; try");
                    System.out.println("             curl -g 'http://" + hp.display() + ":" + server.port()
                            + "/api/v1/query?query=sum+by+(sandbox_name)(rate(microsandbox_network_bytes_received[1m]))'");
                }
                running.targets().forEach(t -> System.out.println("  scrape:    " + t.display() + " every " + t.intervalMs() + " ms, job " + t.job()));
                System.out.println("  Ctrl-C stops cleanly");
                Thread warming = null;
                if (warmup && serverOptions.web() != null) {
                    // The HTTP part of the warm-up would need our own credentials: the engine part only.
                    warming = new EngineWarmup(queries, budget.warmupSandboxes(), 1, 60).startInBackground(signals::stopping, null);
                } else if (warmup) {
                    String loopback = hp.host().equals("0.0.0.0") || hp.host().equals("::") ? "127.0.0.1" : hp.display();
                    warming = new EngineWarmup(queries, budget.warmupSandboxes(), 1, 60).startInBackground(signals::stopping,
                            java.net.URI.create("http://" + loopback + ":" + server.port() + "/"));
                }
                Thread warm = warming; // the end of the warm-up counts as one more finished query
                // So does a seal (a new block): its encoding burst grows the heap as a query burst
                // does, and a server that only collects or scrapes would otherwise keep that heap
                // (the serial collector shrinks it only at a full collection).
                // And so does the heap growing by 32 MiB: a head filling toward its seal grows it too.
                dev.sandglass.web.api.HeapGrowth grown = dev.sandglass.web.api.HeapGrowth.ofThisProcess(32L << 20);
                new IdleMemory(() -> handlers.queriesDone() + (warm != null && !warm.isAlive() ? 1 : 0) + db.blockCount() + grown.getAsLong(),
                        dev.sandglass.web.api.ProcessBusy.ofThisProcess(), 10_000, () -> {
                    db.releaseIdleReaders();
                    dev.sandglass.web.api.TightCollection.run(); // shrinks the heap to its live data (see there)
                    grown.collected();
                }).startInBackground(signals::stopping);
                boolean stopping = false;
                while (!stopping) {
                    try {
                        stopping = signals.awaitMillis(5000);
                        if (!stopping) {
                            System.out.printf("collected: %d sandboxes, %,d samples stored in %,d collections (%d failed)%n",
                                    metrics.sandboxes(), metrics.samples(), metrics.collections(), metrics.failures());
                        }
                    } catch (OutOfMemoryError e) {
                        // A full heap must not end serve through its main thread (waiting and printing
                        // allocate): the loops' guards report it, and this goes on waiting.
                    }
                }
                loop.stop();
            } finally {
                loop.close();
                senders.close();
            }
        } finally {
            if (fleet != null) {
                fleet.close();
            }
        }
        System.out.println("sandglass: stopped; everything collected is durable in " + dataDir.toAbsolutePath());
        return 0;
    }

    static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isEmpty()) {
            return h;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
