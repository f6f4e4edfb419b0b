package dev.sandglass.ingest.collect;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.ingest.demo.DemoFleet;
import dev.sandglass.ingest.registry.RegistryLocator;
import dev.sandglass.ingest.registry.RegistryReader;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Storage;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collect loop over the real store, with commits failing through a facade as a mapping fault
 * or a full heap would (an Error, not a RuntimeException): the loop must count them, say it is
 * stalled, and collect again by itself once commits succeed.
 */
class CollectLoopFaultTest {
    @TempDir
    Path tmp;

    /** The real store; its appender's commit throws {@code fault} while {@code failing} is set. */
    private static final class FaultyStorage implements Storage {
        private final Db db;
        volatile Error fault;

        FaultyStorage(Db db) {
            this.db = db;
        }

        @Override
        public Appender appender() {
            Appender real = db.appender();
            return new Appender() {
                @Override
                public long seriesRef(Labels labels) {
                    return real.seriesRef(labels);
                }

                @Override
                public void append(long ref, long t, double v) {
                    real.append(ref, t, v);
                }

                @Override
                public void commit() {
                    Error e = fault;
                    if (e != null) {
                        throw e;
                    }
                    real.commit();
                }

                @Override
                public void rollback() {
                    real.rollback();
                }
            };
        }

        @Override
        public BulkAppender bulkAppender() {
            return db.bulkAppender();
        }

        @Override
        public Querier querier(long minT, long maxT) {
            return db.querier(minT, maxT);
        }

        @Override
        public void close() {
            db.close();
        }
    }

    private static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void anErrorInACommitIsCountedAndCollectionResumes() throws Exception {
        RegistryLocator loc = new RegistryLocator(tmp.resolve("home").toString(), "--msb-home", tmp);
        IngestMetrics metrics = new IngestMetrics();
        try (DemoFleet fleet = new DemoFleet(loc, 3, 1);
             FaultyStorage store = new FaultyStorage(Db.open(DbOptions.defaults(tmp.resolve("data"))));
             CollectLoop loop = new CollectLoop(new RegistryReader(loc, 1000), store, 20, "host1", false, metrics)) {
            fleet.start();
            loop.start();
            await("a first collection is stored", () -> metrics.samples() > 0);
            assertFalse(metrics.stalled(System.currentTimeMillis()), "a collecting loop is not stalled");

            store.fault = new InternalError("a fault occurred in an unsafe memory access operation");
            long failuresBefore = metrics.failures();
            await("three commits fail", () -> metrics.failures() >= failuresBefore + 3);
            long stuck = metrics.samples();
            Thread.sleep(100);
            assertTrue(metrics.samples() == stuck, "nothing is counted as stored while commits fail");
            assertTrue(metrics.stalled(System.currentTimeMillis() + IngestMetrics.STALL_MIN_MS + 1),
                    "no batch stored for longer than the stall limit: readiness must fail");
            StringBuilder text = new StringBuilder();
            metrics.writePrometheusText(text);
            assertTrue(text.toString().contains("sandglass_ingest_failures_total{reason=\"error\"}"), text.toString());

            store.fault = null;
            await("collection resumes by itself", () -> metrics.samples() > stuck);
            assertFalse(metrics.stalled(System.currentTimeMillis()), "ready again once a batch is stored");
        }
    }
}
