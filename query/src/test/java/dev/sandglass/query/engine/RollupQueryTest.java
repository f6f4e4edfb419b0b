package dev.sandglass.query.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.ForwardingQuerier;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PromQL past raw retention: the same expressions evaluated on the raw samples and on a view of
 * the same store whose raw samples before a cutoff are gone (as retention leaves it), so only the
 * rollups answer there. max/min/sum/count/avg over time must be equal; rate and increase within
 * the README's stated difference; the answer says rollups were used, and a query raw data covers
 * says nothing and is unchanged.
 */
class RollupQueryTest {
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    /** Aligned to a day, three days of data from here. */
    private static final long T0 = 1_760_000_000_000L / DAY * DAY;

    @TempDir
    Path dir;
    private Db db;
    private final Engine engine = new Engine(EngineOptions.defaults());

    @BeforeEach
    void load() {
        db = Db.open(DbOptions.defaults(dir).withRetention(100L * 365 * DAY, 0));
        fill(db);
    }

    /** Three days of four sandboxes' gauge and counter, written as an import writes them. */
    private static void fill(Db target) {
        Random rnd = new Random(3);
        try (BulkAppender b = target.bulkAppender()) {
            for (int k = 0; k < 4; k++) {
                Samples gauge = new Samples();
                Samples counter = new Samples();
                double c = 0;
                // Every ~10 s with jitter: never on a window boundary (see the README's rules).
                for (long t = T0 + 1234 + k * 17; t < T0 + 3 * DAY; t += 9_000 + rnd.nextInt(2_000)) {
                    gauge.add(t, 1000 + rnd.nextInt(5000) + (t % DAY) / 100_000.0);
                    c = rnd.nextInt(20_000) == 0 ? rnd.nextInt(10) : c + rnd.nextInt(1000);
                    counter.add(t, c);
                }
                Labels sb = Labels.of("sandbox_name", "sbx-" + k);
                b.appendAll(b.seriesRef(withName(sb, "g")), gauge.timestamps(), gauge.values(), gauge.size());
                b.appendAll(b.seriesRef(withName(sb, "c_total")), counter.timestamps(), counter.values(), counter.size());
            }
            // A flapping value for changes() and resets(): repeats, drops, runs of NaN (NaN to NaN is no change).
            Random flaps = new Random(4);
            for (int k = 0; k < 2; k++) {
                Samples flap = new Samples();
                double v = 0;
                for (long t = T0 + 2345 + k * 19; t < T0 + 3 * DAY; t += 9_000 + flaps.nextInt(2_000)) {
                    int r = flaps.nextInt(100);
                    v = r < 60 ? v : r < 97 ? flaps.nextInt(4) : Double.NaN;
                    flap.add(t, Double.isNaN(v) && flaps.nextBoolean() ? Double.NaN : v);
                }
                b.appendAll(b.seriesRef(Labels.of("__name__", "flap", "sandbox_name", "sbx-" + k)), flap.timestamps(), flap.values(),
                        flap.size());
            }
            b.finish();
        }
    }

    private static Labels withName(Labels l, String name) {
        return Labels.of("__name__", name, "sandbox_name", l.get("sandbox_name"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** The store as raw retention would leave it: raw samples from {@code rawStart} on, rollups for everything. */
    private Queryable retained(long rawStart) {
        return (minT, maxT) -> {
            Querier q = db.querier(minT, maxT);
            return new ForwardingQuerier(q) {
                @Override
                public List<Series> select(List<Matcher> matchers) {
                    List<Series> out = new ArrayList<>();
                    for (Series s : q.select(matchers)) {
                        Samples all = s.samples();
                        Samples kept = new Samples();
                        for (int i = all.lowerBound(rawStart); i < all.size(); i++) {
                            kept.add(all.timestamp(i), all.value(i));
                        }
                        if (kept.size() > 0) {
                            out.add(Series.of(s.labels(), kept));
                        }
                    }
                    return out;
                }

                @Override
                public List<Series> selectLazily(List<Matcher> matchers) {
                    return select(matchers);
                }

                @Override
                public long rawStartMs() {
                    return rawStart;
                }

                @Override
                public long changes() {
                    return -1; // other samples than the store's
                }
            };
        };
    }

    private QueryResult.MatrixResult range(Queryable store, String q, long start, long end, long step, List<String> warnings) {
        Evaluation e = engine.rangeEvaluation(store, q, start, end, step, () -> false);
        warnings.addAll(e.warnings());
        return (QueryResult.MatrixResult) e.result();
    }

    private void assertClose(String q, long start, long end, long step, double relTolerance, boolean expectRollups) {
        List<String> none = new ArrayList<>();
        List<String> warned = new ArrayList<>();
        QueryResult.MatrixResult raw = range(db, q, start, end, step, none);
        // Raw kept from midway through day 2: the first steps read only rollups, later ones both.
        QueryResult.MatrixResult rolled = range(retained(T0 + 2 * DAY + 7 * HOUR + 123), q, start, end, step, warned);
        assertTrue(none.isEmpty(), q + ": no warning on raw data, got " + none);
        assertEquals(expectRollups, !warned.isEmpty(), q + ": warning " + warned);
        if (expectRollups) {
            assertTrue(warned.get(0).contains(q.contains("[1d]") ? "1h rollups" : "5m rollups"), warned.get(0));
        }
        assertEquals(raw.series().size(), rolled.series().size(), q + ": series");
        double worst = 0;
        for (int i = 0; i < raw.series().size(); i++) {
            QueryResult.MatrixSeries a = raw.series().get(i);
            QueryResult.MatrixSeries b = rolled.series().get(i);
            assertEquals(a.labels(), b.labels());
            assertEquals(a.size(), b.size(), q + " " + a.labels() + ": points");
            for (int k = 0; k < a.size(); k++) {
                assertEquals(a.timestampsMs()[k], b.timestampsMs()[k]);
                double rel = Math.abs(a.values()[k] - b.values()[k]) / Math.max(1e-12, Math.abs(a.values()[k]));
                worst = Math.max(worst, rel);
                assertTrue(rel <= relTolerance, q + " " + a.labels() + " at " + a.timestampsMs()[k] + ": raw " + a.values()[k]
                        + ", rollups " + b.values()[k]);
            }
        }
        System.out.printf("%-45s largest relative difference raw vs rollups: %.3g%n", q, worst);
    }

    @Test
    void overTimeFunctionsOverRollupsEqualRaw() {
        long start = T0 + DAY;
        long end = T0 + 3 * DAY - HOUR;
        for (String f : List.of("max_over_time", "min_over_time", "sum_over_time", "count_over_time", "avg_over_time")) {
            assertClose(f + "(g[1d])", start, end, HOUR, 1e-9, true);
            assertClose(f + "(g[30m])", start, end, HOUR, 1e-9, true);
        }
        assertClose("sum by (sandbox_name) (max_over_time(g[1d]))", start, end, HOUR, 1e-9, true);
    }

    @Test
    void ratesOverRollupsStayWithinTheStatedDifference() {
        long start = T0 + DAY;
        long end = T0 + 3 * DAY - HOUR;
        assertClose("increase(c_total[1d])", start, end, HOUR, 0.01, true);
        assertClose("rate(c_total[1d])", start, end, HOUR, 0.01, true);
        assertClose("rate(c_total[30m])", start, end, HOUR, 0.05, true);
    }

    @Test
    void changesAndResetsOverRollupsEqualRawWhereWindowsAlign() {
        long start = T0 + DAY;
        long end = T0 + 3 * DAY - HOUR;
        for (String f : List.of("changes", "resets")) {
            assertClose(f + "(flap[1d])", start, end, HOUR, 0, true);
            assertClose(f + "(flap[30m])", start, end, HOUR, 0, true);
            assertClose(f + "(c_total[1d])", start, end, HOUR, 0, true);
        }
    }

    @Test
    void aStoreWithOnlyRollupsLeftIsAnsweredFromThem(@TempDir Path other) {
        // The same years-old history imported under a one-hour raw retention: no raw sample is
        // kept, only rollups (the raw start must not be taken as "the end of time").
        try (Db only = Db.open(DbOptions.defaults(other).withRetention(HOUR, 0))) {
            fill(only);
            long t = T0 + 3 * DAY - HOUR;
            for (String q : List.of("count_over_time(g[1d])", "max_over_time(g[1d])", "sum_over_time(c_total[1d])")) {
                List<String> warnings = new ArrayList<>();
                QueryResult.MatrixResult got = range(only, q, t, t, HOUR, warnings);
                QueryResult.MatrixResult want = range(db, q, t, t, HOUR, new ArrayList<>());
                assertEquals(4, want.series().size(), q);
                assertEquals(want.series().size(), got.series().size(), q + ": series from rollups alone");
                for (int i = 0; i < want.series().size(); i++) {
                    QueryResult.MatrixSeries a = want.series().get(i);
                    QueryResult.MatrixSeries b = got.series().get(i);
                    assertEquals(a.labels(), b.labels());
                    assertEquals(1, b.size(), q + " " + b.labels());
                    // No sample lies on a window edge, so rollups answer these exactly (sums up to rounding).
                    assertEquals(a.values()[0], b.values()[0], Math.abs(a.values()[0]) * 1e-12, q + " " + a.labels());
                }
                assertTrue(warnings.size() == 1 && warnings.get(0).contains("past raw retention"), q + ": " + warnings);
            }
        }
    }

    @Test
    void queriesRawDataCoversAreUnchangedAndCarryNoWarning() {
        assertClose("max_over_time(g[1h])", T0 + 2 * DAY + 9 * HOUR, T0 + 3 * DAY - HOUR, HOUR, 0, false);
        assertClose("rate(c_total[5m])", T0 + 2 * DAY + 9 * HOUR, T0 + 3 * DAY - HOUR, 60_000, 0, false);
    }
}
