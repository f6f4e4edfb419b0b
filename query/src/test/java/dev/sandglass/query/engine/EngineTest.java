package dev.sandglass.query.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.ast.AggregateExpr;
import dev.sandglass.query.ast.AggregateOp;
import dev.sandglass.query.ast.AtModifier;
import dev.sandglass.query.ast.BinaryExpr;
import dev.sandglass.query.ast.BinaryOp;
import dev.sandglass.query.ast.Call;
import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.ast.MatrixSelector;
import dev.sandglass.query.ast.NumberLiteral;
import dev.sandglass.query.ast.SubqueryExpr;
import dev.sandglass.query.ast.ValueType;
import dev.sandglass.query.ast.VectorMatching;
import dev.sandglass.query.ast.VectorSelector;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Values;
import dev.sandglass.storage.mem.MemStorage;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Engine semantics on hand-built ASTs (the parser lives elsewhere), each checked against Prometheus 2.42's answer. */
class EngineTest {
    private final Engine engine = new Engine(EngineOptions.defaults());
    private MemStorage store;

    @BeforeEach
    void load() {
        store = new MemStorage();
        Appender app = store.appender();
        // Counters every 10 s from t=0: c{i="0"} 0,10,20,... ; c{i="1"} 0,5,... with a reset at 60 s.
        long r0 = app.seriesRef(Labels.of("__name__", "c", "i", "0"));
        long r1 = app.seriesRef(Labels.of("__name__", "c", "i", "1"));
        for (int k = 0; k <= 30; k++) {
            app.append(r0, k * 10_000L, k * 10.0);
            app.append(r1, k * 10_000L, k < 6 ? k * 5.0 : (k - 6) * 5.0);
        }
        long g = app.seriesRef(Labels.of("__name__", "g", "i", "0"));
        app.append(g, 0, 1);
        app.append(g, 10_000, 2);
        app.append(g, 20_000, Values.STALE_NAN);
        app.commit();
    }

    private static VectorSelector sel(String name, String... labelPairs) {
        List<Matcher> ms = new java.util.ArrayList<>();
        ms.add(Matcher.eq("__name__", name));
        for (int i = 0; i < labelPairs.length; i += 2) {
            ms.add(Matcher.eq(labelPairs[i], labelPairs[i + 1]));
        }
        return new VectorSelector(name, ms, 0, null);
    }

    private static Call call(String fn, ValueType type, Expr... args) {
        return new Call(fn, List.of(args), type);
    }

    private QueryResult.VectorResult vector(Expr e, long t) {
        return (QueryResult.VectorResult) engine.instant(store, e, t);
    }

    private static double valueOf(QueryResult.VectorResult r, Labels l) {
        for (QueryResult.Sample s : r.samples()) {
            if (s.labels().equals(l)) {
                return s.value();
            }
        }
        throw new AssertionError("no element " + l + " in " + r.samples());
    }

    @Test
    void lookbackEndsAtStalenessMarker() {
        assertEquals(2.0, vector(sel("g"), 15_000).samples().get(0).value());
        assertEquals(0, vector(sel("g"), 20_000).samples().size());
        assertEquals(0, vector(sel("g"), 25_000).samples().size());
    }

    @Test
    void rateCorrectsResetsAndExtrapolates() {
        // Prometheus: rate(c[1m]) at 120s. i=0: samples 60..120 s, 60 in 60 s = 1/s exactly.
        // i=1: values 0,5,...,30 from 60 s to 120 s (reset at 60 s just begins the window) = 0.5/s.
        QueryResult.VectorResult r = vector(call("rate", ValueType.VECTOR, new MatrixSelector(sel("c"), 60_000)), 120_000);
        assertEquals(1.0, valueOf(r, Labels.of("i", "0")), 1e-12);
        assertEquals(0.5, valueOf(r, Labels.of("i", "1")), 1e-12);
        // Across the reset (30 s..90 s): 15,20,25,0,5,10,15 -> increase (15-15)+25 = 25 over 60 s.
        QueryResult.VectorResult r2 = vector(call("rate", ValueType.VECTOR, new MatrixSelector(sel("c", "i", "1"), 60_000)), 90_000);
        assertEquals(25.0 / 60, r2.samples().get(0).value(), 1e-12);
    }

    @Test
    void sumByDropsOtherLabels() {
        AggregateExpr sum = new AggregateExpr(AggregateOp.SUM, sel("c"), null, List.of(), false);
        QueryResult.VectorResult r = vector(sum, 100_000);
        assertEquals(1, r.samples().size());
        assertEquals(Labels.EMPTY, r.samples().get(0).labels());
        assertEquals(100.0 + 20.0, r.samples().get(0).value());
    }

    @Test
    void arithmeticDropsNameComparisonKeepsIt() {
        QueryResult.VectorResult plus = vector(new BinaryExpr(BinaryOp.ADD, sel("c", "i", "0"), new NumberLiteral(1), null, false), 10_000);
        assertEquals(Labels.of("i", "0"), plus.samples().get(0).labels());
        assertEquals(11.0, plus.samples().get(0).value());
        QueryResult.VectorResult gt = vector(new BinaryExpr(BinaryOp.GTR, sel("c"), new NumberLiteral(5), null, false), 10_000);
        assertEquals(1, gt.samples().size());
        assertEquals(Labels.of("__name__", "c", "i", "0"), gt.samples().get(0).labels());
    }

    @Test
    void manyToManyMatchingFails() {
        VectorMatching onNothing = new VectorMatching(VectorMatching.Cardinality.ONE_TO_ONE, List.of(), true, List.of());
        BinaryExpr b = new BinaryExpr(BinaryOp.ADD, sel("c"), sel("c"), onNothing, false);
        PromQLException e = assertThrows(PromQLException.EvalException.class, () -> engine.instant(store, b, 10_000));
        assertTrue(e.getMessage().startsWith("found duplicate series for the match group {} on the right hand-side"), e.getMessage());
    }

    @Test
    void subqueryStepsAreAlignedToMultiplesOfTheStep() {
        // max_over_time(c{i="0"}[45s:20s]) at 100 s: steps at 60, 80, 100 s (first multiple of 20 s >= 55 s).
        SubqueryExpr sq = new SubqueryExpr(sel("c", "i", "0"), 45_000, 20_000, 0, null);
        QueryResult.VectorResult min = vector(call("min_over_time", ValueType.VECTOR, sq), 100_000);
        assertEquals(60.0, min.samples().get(0).value());
    }

    @Test
    void atModifierPinsTheSelector() {
        VectorSelector at = new VectorSelector("c", List.of(Matcher.eq("__name__", "c"), Matcher.eq("i", "0")), 0, AtModifier.at(50_000));
        QueryResult.MatrixResult m = (QueryResult.MatrixResult) engine.range(store, at, 0, 300_000, 100_000);
        assertEquals(4, m.series().get(0).size());
        for (int i = 0; i < 4; i++) {
            assertEquals(50.0, m.series().get(0).values()[i]);
        }
    }

    @Test
    void rangeQuerySortsSeriesAndSkipsEmptySteps() {
        QueryResult.MatrixResult m = (QueryResult.MatrixResult) engine.range(store, sel("g"), 0, 30_000, 10_000);
        assertEquals(1, m.series().size());
        assertEquals(2, m.series().get(0).size());
        assertEquals(10_000L, m.series().get(0).timestampsMs()[1]);
    }

    @Test
    void tooManySamplesIsAnError() {
        Engine small = new Engine(new EngineOptions(300_000, 60_000, 10, 60_000));
        assertThrows(PromQLException.TooManySamplesException.class,
                () -> small.instant(store, call("sum_over_time", ValueType.VECTOR, new MatrixSelector(sel("c"), 300_000)), 300_000));
    }

    @Test
    void timeoutIsAnError() {
        Engine tiny = new Engine(new EngineOptions(300_000, 1, 50_000_000, 60_000));
        SubqueryExpr deep = new SubqueryExpr(call("rate", ValueType.VECTOR, new MatrixSelector(sel("c"), 60_000)), 3_600_000_000L, 1_000, 0, null);
        PromQLException e = assertThrows(PromQLException.TimeoutException.class,
                () -> tiny.instant(store, call("max_over_time", ValueType.VECTOR, deep), 3_600_000_000L));
        assertTrue(e.getMessage().startsWith("query timed out in "), e.getMessage());
    }

    @Test
    void hugeSubqueryIsRefusedBeforeAllocating() {
        SubqueryExpr huge = new SubqueryExpr(sel("c"), 100L * 365 * 86_400_000L, 1_000, 0, null);
        assertThrows(PromQLException.TooManySamplesException.class,
                () -> engine.instant(store, call("max_over_time", ValueType.VECTOR, huge), 100_000));
    }

    @Test
    void cancellationStopsTheQuery() {
        java.util.concurrent.atomic.AtomicInteger polls = new java.util.concurrent.atomic.AtomicInteger();
        SubqueryExpr deep = new SubqueryExpr(call("rate", ValueType.VECTOR, new MatrixSelector(sel("c"), 60_000)), 3_600_000_000L, 1_000, 0, null);
        PromQLException e = assertThrows(PromQLException.CanceledException.class,
                () -> engine.instant(store, call("max_over_time", ValueType.VECTOR, deep), 3_600_000_000L, () -> polls.incrementAndGet() > 100));
        assertTrue(e.getMessage().startsWith("query was canceled in "), e.getMessage());
    }

    @Test
    void deepNestingFailsTheQueryNotTheThread() {
        Expr e = sel("c");
        for (int i = 0; i < 200_000; i++) {
            e = new dev.sandglass.query.ast.ParenExpr(e);
        }
        Expr deep = e;
        assertThrows(PromQLException.EvalException.class, () -> engine.instant(store, deep, 10_000));
    }

    @Test
    void invalidArgumentsFailWithPrometheusMessages() {
        Call badRegex = new Call("label_replace", List.of(sel("c"), str("dst"), str("$1"), str("i"), str("(.*")), ValueType.VECTOR);
        assertEquals("invalid regular expression in label_replace(): (.*",
                assertThrows(PromQLException.EvalException.class, () -> engine.instant(store, badRegex, 10_000)).getMessage());
        Call badDst = new Call("label_replace", List.of(sel("c"), str("a-b"), str(""), str("i"), str(".*")), ValueType.VECTOR);
        assertEquals("invalid destination label name in label_replace(): a-b",
                assertThrows(PromQLException.EvalException.class, () -> engine.instant(store, badDst, 10_000)).getMessage());
        Call badJoin = new Call("label_join", List.of(sel("c"), str("dst"), str(","), str("not valid")), ValueType.VECTOR);
        assertEquals("invalid source label name in label_join(): not valid",
                assertThrows(PromQLException.EvalException.class, () -> engine.instant(store, badJoin, 10_000)).getMessage());
        AggregateExpr badCount = new AggregateExpr(AggregateOp.COUNT_VALUES, sel("c"), str("a-b"), List.of(), false);
        assertEquals("invalid label name \"a-b\"",
                assertThrows(PromQLException.EvalException.class, () -> engine.instant(store, badCount, 10_000)).getMessage());
        Call badSf = new Call("holt_winters", List.of(new MatrixSelector(sel("c"), 60_000), new NumberLiteral(1), new NumberLiteral(0.5)), ValueType.VECTOR);
        assertEquals("invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000",
                assertThrows(PromQLException.EvalException.class, () -> engine.instant(store, badSf, 60_000)).getMessage());
    }

    private static dev.sandglass.query.ast.StringLiteral str(String s) {
        return new dev.sandglass.query.ast.StringLiteral(s);
    }
}
