package dev.sandglass.web.bench;

import dev.sandglass.ingest.otlp.OtlpProtoReader;
import dev.sandglass.ingest.remote.RemoteProto;
import dev.sandglass.ingest.remote.RemoteWriteIngester;
import dev.sandglass.ingest.remote.SeriesRefCache;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where remote-write ingestion spends its time, in process (no HTTP, no snappy): per round, under
 * new metric names, the first collection (16,384 new series) apart from the others (known series),
 * beside decoding alone; then the same samples as OTLP protobuf. Each collection is followed by
 * the appender's prepareNext, as the routes do after answering (the index's map is filled there),
 * and the whole pass's thread CPU is printed. Usage: IngestPathBench [COLLECTIONS] [ROUNDS].
 */
public final class IngestPathBench {
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int collections = Integer.parseInt(args.length > 0 ? args[0] : "30");
        int rounds = Integer.parseInt(args.length > 1 ? args[1] : "5");
        long perCollection = (long) ProtocolBench.SANDBOXES * ProtocolBench.SERIES;
        Path dir = Files.createTempDirectory("sg-ingest-bench");
        SeriesRefCache cache = new SeriesRefCache(SeriesRefCache.defaultMaxBytes());
        SeriesRefCache otlpCache = new SeriesRefCache(SeriesRefCache.defaultMaxBytes());
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            for (int round = 0; round < rounds; round++) {
                byte[][] bodies = new byte[collections][];
                long t0 = System.currentTimeMillis() - collections * 1000L;
                for (int c = 0; c < collections; c++) {
                    bodies[c] = RemoteProto.encodeWrite(ProtocolBench.remoteWrite("r" + round + "_m", 0, 1, t0 + c * 1000L, c));
                }
                long a = System.nanoTime();
                long[] n = new long[1];
                for (byte[] b : bodies) {
                    RemoteProto.decodeWrite(b, (p, nl, ts, vs, k) -> n[0] += k);
                }
                long b0 = System.nanoTime();
                long first = 0;
                long cpu0 = CPU.getCurrentThreadCpuTime();
                long firstCpu = 0;
                for (int c = 0; c < collections; c++) {
                    Appender app = db.appender();
                    RemoteWriteIngester.ingest(bodies[c], app, 0, cache);
                    app.commit();
                    app.prepareNext(); // as the route does after answering: files the batch, backs up new series
                    if (c == 0) {
                        first = System.nanoTime();
                        firstCpu = CPU.getCurrentThreadCpuTime() - cpu0;
                    }
                }
                long c0 = System.nanoTime();
                long rwCpu = CPU.getCurrentThreadCpuTime() - cpu0;
                byte[][] otlp = new byte[collections][];
                for (int c = 0; c < collections; c++) {
                    otlp[c] = ProtocolBench.otlp("o" + round + ".m", 0, 1, t0 + c * 1000L, c).toByteArray();
                }
                long d0 = System.nanoTime();
                long ofirst = 0;
                cpu0 = CPU.getCurrentThreadCpuTime();
                long ofirstCpu = 0;
                for (int c = 0; c < collections; c++) {
                    Appender app = db.appender();
                    OtlpProtoReader.translate(otlp[c], 0, otlp[c].length, app, otlpCache);
                    app.commit();
                    app.prepareNext();
                    if (c == 0) {
                        ofirst = System.nanoTime();
                        ofirstCpu = CPU.getCurrentThreadCpuTime() - cpu0;
                    }
                }
                long e0 = System.nanoTime();
                long otlpCpu = CPU.getCurrentThreadCpuTime() - cpu0;
                System.out.printf("round %d: remote write decode alone %,.0f samples/s; decode+append+commit: first collection (new series)"
                        + " %,.0f ms, the other %d %,.0f samples/s; OTLP protobuf: first %,.0f ms, the other %,.0f samples/s%n", round,
                        collections * perCollection / ((b0 - a) / 1e9), (first - b0) / 1e6, collections - 1,
                        (collections - 1) * perCollection / ((c0 - first) / 1e9), (ofirst - d0) / 1e6,
                        (collections - 1) * perCollection / ((e0 - ofirst) / 1e9));
                // CPU time of this thread, which the machine's other work hardly moves (wall times above do).
                System.out.printf("round %d: first collection CPU: remote write %,.0f ms, OTLP protobuf %,.0f ms (%.2fx)%n", round,
                        firstCpu / 1e6, ofirstCpu / 1e6, (double) ofirstCpu / firstCpu);
                System.out.printf("round %d: whole pass CPU (every collection, its commit and prepareNext): remote write %,.0f ms"
                        + " (%.2f us/sample), OTLP protobuf %,.0f ms (%.2f us/sample)%n", round, rwCpu / 1e6,
                        rwCpu / 1e3 / (collections * perCollection), otlpCpu / 1e6, otlpCpu / 1e3 / (collections * perCollection));
            }
        }
    }
}
