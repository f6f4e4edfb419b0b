package dev.sandglass.web.api;

import dev.sandglass.query.engine.Engine;
import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.query.engine.QueryResult;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * In-process engine figures on an imported data dir (no HTTP), for each query of a queries file:
 * the median and minimum time of N range evaluations (6 h at step 60 s) and N instant ones (the
 * minimum is the steadier figure on a shared machine); the heap bytes each run allocates (median),
 * split into the store's share (making the querier, selecting, decoding samples: counted in the
 * calls the engine makes into it) and the engine's (evaluation and building the result); the
 * bytes and time of writing the answer as the API does (Prometheus's JSON, handed on in 64K
 * chunks as {@link StreamedReply} sends them); the collections per run (e.g. under a small heap:
 * {@code bench/engine.sh DIR 5 -Xmx61m -XX:+UseSerialGC}); and the time to select (decode) the
 * query's metric alone. Run: bench/engine.sh DATA_DIR [RUNS]
 */
public final class QueryBench {
    private static final double MIB = 1024.0 * 1024;

    /** One kind of evaluation's figures for one query, over the runs. */
    private static final class Figures {
        final long[] nanos;
        final long[] bytes;
        final long[] jsonNanos;
        final long[] jsonBytes;
        long storeBytes;
        /** Collections (any collector) during the timed evaluations, over all runs. */
        long collections;
        long collectionMs;

        Figures(int runs) {
            nanos = new long[runs];
            bytes = new long[runs];
            jsonNanos = new long[runs];
            jsonBytes = new long[runs];
        }

        String row(String query) {
            long[][] all = {nanos, bytes, jsonNanos, jsonBytes};
            for (long[] a : all) {
                Arrays.sort(a);
            }
            int m = nanos.length / 2;
            return String.format("%7.1f %7.1f | %7.2f = %6.2f + %6.2f | %6.2f %6.1f | %5.1f %5.1f | %s", nanos[m] / 1e6, nanos[0] / 1e6,
                    bytes[m] / MIB, storeBytes / MIB, (bytes[m] - storeBytes) / MIB, jsonBytes[m] / MIB, jsonNanos[m] / 1e6,
                    (double) collections / nanos.length, (double) collectionMs / nanos.length, query);
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("chronicle.analytics.disable", "true");
        Path dir = Path.of(args[0]);
        List<String> queries = Files.readAllLines(Path.of(args[1])).stream().filter(q -> !q.isBlank()).toList();
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        long start = Long.parseLong(args.length > 3 ? args[3] : "1763596800") * 1000;
        long end = start + 6 * 3600_000L - 1000;
        List<String> range = new ArrayList<>();
        List<String> instant = new ArrayList<>();
        List<String> select = new ArrayList<>();
        try (Db db = Db.open(DbOptions.defaults(dir).withRetention(100L * 365 * 86_400_000L, 0).asReadOnly())) {
            Engine engine = new Engine(EngineOptions.defaults());
            for (String q : queries) {
                Figures r = new Figures(runs);
                Figures i = new Figures(runs);
                long[] sel = new long[runs];
                int series = 0;
                String metric = q.replaceAll(".*?(microsandbox_[a-z_]+).*", "$1");
                for (int k = 0; k < runs + 2; k++) {
                    // The first two rounds warm up (JIT); then the runs alternate range, instant and select.
                    measure(k - 2, r, () -> engine.range(db, q, start, end, 60_000));
                    measure(k - 2, i, () -> engine.instant(db, q, end));
                    long t0 = System.nanoTime();
                    try (Querier qr = db.querier(start - 3600_000, end)) {
                        series = qr.select(List.of(Matcher.eq("__name__", metric))).size();
                    }
                    if (k >= 2) {
                        sel[k - 2] = System.nanoTime() - t0;
                    }
                }
                // The store's share, from one more run of each through a counting wrapper (its own
                // counting stays out of the timed runs).
                AllocationMeter meter = new AllocationMeter();
                Queryable counted = meter.storage(db);
                engine.range(counted, q, start, end, 60_000);
                r.storeBytes = meter.takeStorage();
                engine.instant(counted, q, end);
                i.storeBytes = meter.takeStorage();
                range.add(r.row(q));
                instant.add(i.row(q));
                Arrays.sort(sel);
                select.add(String.format("%7.1f %7.1f | %4d series | %s", sel[runs / 2] / 1e6, sel[0] / 1e6, series, metric));
            }
        }
        String head = "     ms     min | MiB allocated per run:   |  JSON answer  | GCs per run |\n"
                + " median         |   total =  store + engine |    MiB     ms |     n    ms | query";
        System.out.println("range queries, 6 h at step 60 s (median of " + runs + ")\n" + head);
        range.forEach(System.out::println);
        System.out.println("instant queries at the end of the range\n" + head);
        instant.forEach(System.out::println);
        System.out.println("selecting the metric alone (6 h + 1 h), ms median and min");
        select.forEach(System.out::println);
    }

    /** Run {@code run} (skipped from the figures when negative): evaluation, then its answer written as the API does. */
    private static void measure(int run, Figures f, java.util.function.Supplier<QueryResult> query) {
        long[] gc0 = collections();
        long a0 = AllocationMeter.allThreads();
        long t0 = System.nanoTime();
        QueryResult res = query.get();
        long t1 = System.nanoTime();
        long a1 = AllocationMeter.allThreads();
        long[] gc1 = collections();
        long t2 = System.nanoTime();
        long bytes = json(res);
        long t3 = System.nanoTime();
        long a2 = AllocationMeter.allThreads();
        if (run >= 0) {
            f.nanos[run] = t1 - t0;
            f.bytes[run] = a1 - a0;
            f.jsonNanos[run] = t3 - t2;
            f.jsonBytes[run] = a2 - a1;
            f.collections += gc1[0] - gc0[0];
            f.collectionMs += gc1[1] - gc0[1];
        }
        if (bytes < 0) {
            throw new AssertionError();
        }
    }

    /** Collections so far and their milliseconds, all collectors. */
    private static long[] collections() {
        long n = 0;
        long ms = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
            ms += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {n, ms};
    }

    /**
     * The answer as {@code ApiServer.json} writes it: the envelope, the data in 64K chunks, each
     * sent as {@link StreamedReply#write} does (ASCII into a chunk array that goes round, here one).
     */
    private static long json(QueryResult res) {
        long[] sent = {0};
        byte[][] chunk = {new byte[0]};
        StringBuilder sb = new StringBuilder(256);
        JsonWriter w = new JsonWriter(sb, text -> {
            if (chunk[0].length < text.length()) {
                chunk[0] = new byte[Math.max(text.length(), StreamedReply.CHUNK * 3 / 2)];
            }
            sent[0] += StreamedReply.ascii(text, chunk[0])
                    ? Buffer.buffer(io.netty.buffer.Unpooled.wrappedBuffer(chunk[0], 0, text.length())).length()
                    : Buffer.buffer(text.toString()).length();
        }, StreamedReply.CHUNK);
        w.beginObject().field("status", "success").name("data");
        ResultJson.write(res, w);
        w.endObject();
        return sent[0] + Buffer.buffer(sb.toString()).length();
    }
}
