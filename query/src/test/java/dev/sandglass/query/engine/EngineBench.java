package dev.sandglass.query.engine;

import dev.sandglass.query.ast.AggregateExpr;
import dev.sandglass.query.ast.AggregateOp;
import dev.sandglass.query.ast.Call;
import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.ast.MatrixSelector;
import dev.sandglass.query.ast.NumberLiteral;
import dev.sandglass.query.ast.ValueType;
import dev.sandglass.query.ast.VectorSelector;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.ForwardingQuerier;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.mem.MemStorage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Range-query timings over 6 h of 1 s data for 100 series at step 60 s (the DESIGN.md shapes),
 * median of 5 runs, beside a plain vector selector measured in the same run as the baseline.
 * Two columns: through MemStorage (its querier copies every sample of the range on each query,
 * a storage cost), and engine only (one MemStorage querier reused, so only evaluation is timed).
 *
 * Run: mvn -B -q -pl query -am test-compile, then
 * java -cp query/target/test-classes:query/target/classes:storage/target/classes dev.sandglass.query.engine.EngineBench
 */
public final class EngineBench {
    private static final long HOURS6 = 6 * 3600_000L;

    public static void main(String[] args) {
        int seriesCount = 100;
        MemStorage store = new MemStorage();
        Random rnd = new Random(1);
        Appender app = store.appender();
        for (int s = 0; s < seriesCount; s++) {
            long cRef = app.seriesRef(Labels.of("__name__", "x", "sandbox_name", "sb-" + s, "l", "g" + (s % 10)));
            long gRef = app.seriesRef(Labels.of("__name__", "y", "sandbox_name", "sb-" + s, "l", "g" + (s % 10)));
            double counter = 0;
            for (long t = 0; t < HOURS6; t += 1000) {
                counter += rnd.nextInt(1000);
                if (rnd.nextInt(20_000) == 0) {
                    counter = 0;
                }
                app.append(cRef, t, counter);
                app.append(gRef, t, rnd.nextDouble());
            }
            app.commit();
        }
        Map<String, Expr> queries = new LinkedHashMap<>();
        queries.put("x  (baseline: plain selector)", sel("x"));
        queries.put("rate(x[5m])", call("rate", new MatrixSelector(sel("x"), 300_000)));
        queries.put("sum by (l) (rate(x[1m]))", new AggregateExpr(AggregateOp.SUM,
                call("rate", new MatrixSelector(sel("x"), 60_000)), null, List.of("l"), false));
        queries.put("increase(x[1h])", call("increase", new MatrixSelector(sel("x"), 3600_000)));
        queries.put("max_over_time(y[10m])", call("max_over_time", new MatrixSelector(sel("y"), 600_000)));
        queries.put("quantile_over_time(0.95, y[5m])", new Call("quantile_over_time",
                List.of(new NumberLiteral(0.95), new MatrixSelector(sel("y"), 300_000)), ValueType.VECTOR));
        queries.put("topk(10, avg_over_time(y[5m]))", new AggregateExpr(AggregateOp.TOPK,
                call("avg_over_time", new MatrixSelector(sel("y"), 300_000)), new NumberLiteral(10), List.of(), false));

        queries.put("sum(y) / sum(y)", new dev.sandglass.query.ast.BinaryExpr(dev.sandglass.query.ast.BinaryOp.DIV,
                new AggregateExpr(AggregateOp.SUM, sel("y"), null, List.of(), false),
                new AggregateExpr(AggregateOp.SUM, sel("y"), null, List.of(), false),
                new dev.sandglass.query.ast.VectorMatching(dev.sandglass.query.ast.VectorMatching.Cardinality.ONE_TO_ONE, List.of(), false, List.of()), false));
        queries.put("y * 2", new dev.sandglass.query.ast.BinaryExpr(dev.sandglass.query.ast.BinaryOp.MUL, sel("y"), new NumberLiteral(2), null, false));

        Engine engine = new Engine(EngineOptions.defaults());
        Querier shared = store.querier(0, HOURS6);
        // One querier for every run (not closed by them): the store's selects without opening it each time.
        Queryable engineOnly = (minT, maxT) -> new ForwardingQuerier(shared) {
            @Override
            public void close() {
            }
        };
        // Warm the JIT and the heap on every query first, so the first row is not charged for it.
        for (var q : queries.values()) {
            engine.range(store, q, 0, HOURS6, 60_000);
        }
        System.out.printf("%d series x %d samples, range 6h step 60s; median of 5 (ms)%n", seriesCount * 2, HOURS6 / 1000);
        System.out.printf("%-36s %14s %12s%n", "query", "via MemStorage", "engine only");
        for (var q : queries.entrySet()) {
            double viaStore = median(() -> engine.range(store, q.getValue(), 0, HOURS6, 60_000));
            double onlyEngine = median(() -> engine.range(engineOnly, q.getValue(), 0, HOURS6, 60_000));
            System.out.printf("%-36s %14.1f %12.1f%n", q.getKey(), viaStore, onlyEngine);
        }
    }

    private static double median(Runnable r) {
        r.run(); // warm-up
        r.run();
        double[] t = new double[5];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return t[2];
    }

    private static VectorSelector sel(String name) {
        List<Matcher> ms = new ArrayList<>();
        ms.add(Matcher.eq("__name__", name));
        return new VectorSelector(name, ms, 0, null);
    }

    private static Call call(String fn, Expr arg) {
        return new Call(fn, List.of(arg), ValueType.VECTOR);
    }
}
