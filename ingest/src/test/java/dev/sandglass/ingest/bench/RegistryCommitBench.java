package dev.sandglass.ingest.bench;

import dev.sandglass.ingest.collect.CollectLoop;
import dev.sandglass.ingest.collect.IngestMetrics;
import dev.sandglass.ingest.registry.Layout;
import dev.sandglass.ingest.registry.RegistryLocator;
import dev.sandglass.ingest.registry.RegistryReader;
import dev.sandglass.ingest.registry.RegistryWriter;
import dev.sandglass.ingest.registry.SlotSnapshot;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Latency of one collection on a full 1024-slot registry: read every slot under its seqlock and
 * make the snapshot durable in the WAL (memory-mapped: survives kill -9 once commit returns).
 * Prints percentiles of the read alone (the baseline, same run) and of read + map + commit, the
 * durable window: commit writes the WAL excerpt and hands the batch to the head. Between rounds,
 * untimed, it runs {@link CollectLoop#prepareNext()} as the loop does between collections: that
 * files the batch into the head's per-series arrays and pre-faults the WAL pages the next commits
 * write. The output says so and prints that step's own percentiles, so the whole cost is shown.
 * Run: bench/registry.sh
 */
public final class RegistryCommitBench {
    public static void main(String[] args) throws Exception {
        System.setProperty("chronicle.analytics.disable", "true");
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Path tmp = Files.createTempDirectory("sandglass-registry-bench");
        RegistryLocator loc = new RegistryLocator(tmp.resolve("home").toString(), "bench", tmp);
        try (RegistryWriter w = RegistryWriter.create(loc.path(), Layout.DEFAULT_CAPACITY);
             Db db = Db.open(DbOptions.defaults(tmp.resolve("data")))) {
            RegistryWriter.Sample s = new RegistryWriter.Sample();
            s.flags = 0x7f;
            s.memoryLimit = 1L << 31;
            for (int i = 0; i < Layout.DEFAULT_CAPACITY; i++) {
                w.activate(i, i + 1, 1, 1000 + i, 1_000, "sbx-" + i);
            }
            RegistryReader readOnly = new RegistryReader(loc, 1000);
            IngestMetrics metrics = new IngestMetrics();
            CollectLoop loop = new CollectLoop(new RegistryReader(loc, 1000), db, 1000, "bench", false, metrics);
            CollectLoop mapOnly = new CollectLoop(new RegistryReader(loc, 1000), new DiscardingStorage(), 1000, "bench", false, new IngestMetrics());
            long[] read = new long[rounds];
            long[] mapped = new long[rounds];
            long[] full = new long[rounds];
            long[] prepare = new long[rounds];
            List<SlotSnapshot> out = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                s.sampledAt = 2_000 + r;
                s.cpuPercent = r % 100;
                s.memoryBytes = r * 4096L;
                s.diskRead = r * 10L;
                for (int i = 0; i < Layout.DEFAULT_CAPACITY; i++) {
                    w.writeSample(i, s);
                }
                long t0 = System.nanoTime();
                readOnly.read(out);
                long t1 = System.nanoTime();
                mapOnly.collectOnce();
                long tm = System.nanoTime();
                mapped[r] = tm - t1;
                t1 = tm;
                loop.collectOnce();
                long t2 = System.nanoTime();
                read[r] = t1 - t0;
                full[r] = t2 - t1;
                loop.prepareNext(); // between collections, outside the durable window, as the loop does
                prepare[r] = System.nanoTime() - t2;
                if (r % 600 == 599) {
                    db.seal(); // as the seal job does every 10 minutes of 1 s collections
                }
            }
            int skip = rounds / 10; // warm-up
            print("read 1024 slots (baseline)", Arrays.copyOfRange(read, skip, rounds));
            print("read + map (store discards)", Arrays.copyOfRange(mapped, skip, rounds));
            print("read + map + durable commit", Arrays.copyOfRange(full, skip, rounds));
            print("prepare next (not in above)", Arrays.copyOfRange(prepare, skip, rounds));
            System.out.println("durable window = read + map + commit (WAL append, batch handed to the head); 'prepare next'"
                    + " runs between rounds as CollectLoop runs it between collections: filing the batch into per-series"
                    + " arrays and pre-faulting the WAL");
            System.out.printf("samples per collection: %d; collections: %d; failures: %d%n",
                    metrics.samples() / metrics.collections(), metrics.collections(), metrics.failures());
        } finally {
            deleteTree(tmp); // a run writes ~4 GB of WAL: never leave it behind
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void print(String what, long[] ns) {
        Arrays.sort(ns);
        System.out.printf("%-30s p50 %7.3f ms  p99 %7.3f ms  p99.9 %7.3f ms  max %7.3f ms%n", what,
                ns[ns.length / 2] / 1e6, ns[(int) (ns.length * 0.99)] / 1e6, ns[(int) (ns.length * 0.999)] / 1e6, ns[ns.length - 1] / 1e6);
    }

    /** Takes every sample and keeps none: isolates the reader and mapping cost from the store's. */
    private static final class DiscardingStorage implements Storage {
        private long next;

        @Override
        public Appender appender() {
            return new Appender() {
                @Override
                public long seriesRef(Labels labels) {
                    return next++;
                }

                @Override
                public void append(long ref, long timestampMs, double value) {
                }

                @Override
                public void commit() {
                }

                @Override
                public void rollback() {
                }
            };
        }

        @Override
        public BulkAppender bulkAppender() {
            throw new UnsupportedOperationException("bench store has no bulk appender");
        }

        @Override
        public Querier querier(long minT, long maxT) {
            throw new UnsupportedOperationException("bench store keeps nothing to query");
        }

        @Override
        public void close() {
        }
    }
}
