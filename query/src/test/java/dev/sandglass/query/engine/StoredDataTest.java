package dev.sandglass.query.engine;

import dev.sandglass.query.parser.Parser;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Values;
import dev.sandglass.storage.mem.MemStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same queries over the same samples held by the real store (sealed blocks in several
 * encodings plus the head, each series decoded lazily into per-thread buffers) and by the
 * in-memory one must give the same answers to the bit. The conformance corpus runs on the
 * in-memory store; this covers the store's read path under the engine.
 */
class StoredDataTest {
    @TempDir
    static Path dir;
    private static Db db;
    private static final MemStorage MEM = new MemStorage();
    private static final Engine ENGINE = new Engine(EngineOptions.defaults());
    private static final long T0 = 1_700_000_000_000L;

    @BeforeAll
    static void load() {
        db = Db.open(DbOptions.defaults(dir).withRetention(100L * 365 * 86_400_000L, 0));
        Appender a = db.appender();
        Appender m = MEM.appender();
        Random r = new Random(9);
        String[] metrics = {"cpu", "bytes", "mem", "odd"};
        long[][] refs = new long[metrics.length][30];
        long[][] memRefs = new long[metrics.length][30];
        for (int k = 0; k < metrics.length; k++) {
            for (int s = 0; s < 30; s++) {
                Labels l = Labels.of("__name__", metrics[k], "sandbox_name", "sb" + s, "host", "h" + (s % 4));
                refs[k][s] = a.seriesRef(l);
                memRefs[k][s] = m.seriesRef(l);
            }
        }
        double[][] state = new double[metrics.length][30];
        for (int i = 0; i < 3 * 3600; i++) {
            long t = T0 + i * 1000L + r.nextInt(7) - 3;
            for (int s = 0; s < 30; s++) {
                if (s % 9 == 8 && i > 4000 && i < 4600) {
                    continue; // a gap
                }
                state[0][s] = Math.round(r.nextDouble() * (1 + s % 4) * 1e4) / 1e4;
                if (r.nextInt(20) == 0 || s % 5 == 0) {
                    state[1][s] += 60 + r.nextInt(20_000);
                }
                if (r.nextInt(3000) == 0) {
                    state[1][s] = 0; // a restart
                }
                state[2][s] = Math.max(48 << 20, state[2][s] + (r.nextInt(65) - 32) * 4096);
                state[3][s] = s == 0 && i % 1000 == 500 ? Values.STALE_NAN : r.nextGaussian() * 1e3;
                for (int k = 0; k < metrics.length; k++) {
                    a.append(refs[k][s], t, state[k][s]);
                    m.append(memRefs[k][s], t, state[k][s]);
                }
            }
            if (i % 600 == 599) {
                a.commit();
                m.commit();
            }
            if (i % 3600 == 3599) {
                db.seal(); // three sealed hours, then the head
            }
        }
        a.commit();
        m.commit();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static final List<String> QUERIES = List.of(
            "rate(bytes[5m])", "sum by (host) (rate(bytes[1m]))", "increase(bytes[1h])", "resets(bytes[30m])",
            "max_over_time(mem[10m])", "topk(3, avg_over_time(cpu[5m]))", "bottomk by (host) (2, avg_over_time(cpu[2m]))",
            "sum(mem) / sum(cpu)", "quantile_over_time(0.9, cpu[5m])", "timestamp(odd)", "count_over_time(odd[5m])",
            "absent_over_time(nothing[5m])", "odd", "deriv(mem[10m])", "last_over_time(cpu[1m] offset 10m)",
            "max_over_time(rate(bytes[1m])[10m:1m])", "cpu @ " + (T0 / 1000 + 3600));

    @Test
    void storedAndInMemoryAnswersAreIdentical() {
        long end = T0 + 3 * 3_600_000L + 600_000;
        for (String q : QUERIES) {
            QueryResult.MatrixResult fromDb = (QueryResult.MatrixResult) ENGINE.range(db, Parser.parse(q), T0, end, 60_000);
            QueryResult.MatrixResult fromMem = (QueryResult.MatrixResult) ENGINE.range(MEM, Parser.parse(q), T0, end, 60_000);
            SameBits.assertSameMatrix(fromMem, fromDb, q);
            SameBits.assertSameVector((QueryResult.VectorResult) ENGINE.instant(MEM, Parser.parse(q), end),
                    (QueryResult.VectorResult) ENGINE.instant(db, Parser.parse(q), end), q + " (instant)");
        }
    }
}
