package dev.sandglass.query.bench;

import dev.sandglass.query.engine.Engine;
import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.query.engine.QueryResult;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Series;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * In-process engine timing on an imported data dir (no HTTP): for each query of a queries file, the
 * median and minimum of N range evaluations (the minimum is the steadier figure on a shared machine), and beside it the time to select (decode) the query's metric
 * alone, the storage share of the cost. Run: bench/engine.sh DATA_DIR [RUNS]
 */
public final class QueryBench {
    public static void main(String[] args) throws Exception {
        System.setProperty("chronicle.analytics.disable", "true");
        Path dir = Path.of(args[0]);
        List<String> queries = Files.readAllLines(Path.of(args[1]));
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        long start = Long.parseLong(args.length > 3 ? args[3] : "1763596800") * 1000;
        long end = start + 6 * 3600_000L - 1000;
        try (Db db = Db.open(DbOptions.defaults(dir).withRetention(100L * 365 * 86_400_000L, 0).asReadOnly())) {
            Engine engine = new Engine(EngineOptions.defaults());
            for (String q : queries) {
                if (q.isBlank()) {
                    continue;
                }
                long[] t = new long[runs];
                long[] inst = new long[runs];
                long[] sel = new long[runs];

                int series = 0;
                String metric = q.replaceAll(".*?(microsandbox_[a-z_]+).*", "$1");
                for (int r = 0; r < runs + 2; r++) {
                    long t0 = System.nanoTime();
                    QueryResult res = engine.range(db, q, start, end, 60_000);
                    long t1 = System.nanoTime();
                    engine.instant(db, q, end);
                    long ti = System.nanoTime() - t1;
                    t1 = System.nanoTime();
                    try (Querier qr = db.querier(start - 3600_000, end)) {
                        List<Series> s = qr.select(List.of(Matcher.eq("__name__", metric)));
                        series = s.size();
                    }
                    long t2 = System.nanoTime();
                    if (r >= 2) {
                        t[r - 2] = t1 - t0;
                        inst[r - 2] = ti;
                        sel[r - 2] = t2 - t1;
                    }
                }
                Arrays.sort(t);
                Arrays.sort(sel);
                Arrays.sort(inst);
                System.out.printf("range median %6.1f min %6.1f ms | instant median %5.1f min %5.1f ms | select %d series alone: median %5.1f min %5.1f ms | %s%n",
                        t[runs / 2] / 1e6, t[0] / 1e6, inst[runs / 2] / 1e6, inst[0] / 1e6, series, sel[runs / 2] / 1e6, sel[0] / 1e6, q);
            }
        }
    }
}
