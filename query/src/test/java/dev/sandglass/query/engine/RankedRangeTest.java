package dev.sandglass.query.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.parser.Parser;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.mem.MemStorage;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * topk/bottomk over avg_over_time compute exact means only for windows that can rank. Whatever
 * they skip, the answer must be the one of ranking every exact mean, which {@code * 1} forces
 * (multiplying by one changes no value, not even -0 or NaN, but hides the range function from
 * the ranking). The data has near-ties, exact ties (identical series), a NaN series, groups and
 * gaps.
 */
class RankedRangeTest {
    private static final Engine ENGINE = new Engine(EngineOptions.defaults());
    private static final MemStorage STORE = new MemStorage();

    @BeforeAll
    static void load() {
        Random r = new Random(3);
        Appender app = STORE.appender();
        for (int s = 0; s < 40; s++) {
            long ref = app.seriesRef(Labels.of("__name__", "cpu", "sandbox", "sb" + s, "host", "h" + (s % 3)));
            double level = s < 4 ? 0.5 : r.nextDouble();
            for (int i = 0; i < 3600; i++) {
                if (s % 7 == 6 && i > 1000 && i < 1400) {
                    continue; // a gap: no windows there
                }
                double v;
                if (s < 4) {
                    v = 0.5 + (i % 10) * 1e-4; // four identical series: exact ties at every step
                } else if (s == 4) {
                    v = i == 2000 ? Double.NaN : 0.5 + (i % 10) * 1e-4 + 1e-15; // a hair above the ties
                } else {
                    v = Math.round((level + r.nextGaussian() * 0.05) * 1e4) / 1e4;
                }
                app.append(ref, i * 1000L, v);
            }
        }
        app.commit();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "topk(%s, avg_over_time(cpu[5m]))",
        "bottomk(%s, avg_over_time(cpu[5m]))",
        "topk by (host) (%s, avg_over_time(cpu[2m]))",
        "bottomk without (sandbox) (%s, avg_over_time(cpu[90s] offset 1m))",
        "topk(%s, (avg_over_time(cpu[5m])))",
    })
    void rankingSkipsOnlyValuesThatCannotRank(String template) {
        for (String k : new String[] {"1", "3", "5", "12", "100", "scalar(count(cpu)) % 6", "0"}) {
            String ranked = String.format(template, k);
            String exact = ranked.replace("avg_over_time(cpu", "1 * avg_over_time(cpu");
            QueryResult.MatrixResult got = (QueryResult.MatrixResult) ENGINE.range(STORE, Parser.parse(ranked), 0, 3_600_000, 30_000);
            QueryResult.MatrixResult want = (QueryResult.MatrixResult) ENGINE.range(STORE, Parser.parse(exact), 0, 3_600_000, 30_000);
            assertTrue(!want.series().isEmpty() || ranked.contains("(0,"), ranked + ": no series at all");
            SameBits.assertSameMatrix(want, got, ranked);
            for (long t : new long[] {300_000, 1_200_000, 2_000_000, 3_600_000}) {
                QueryResult.VectorResult gi = (QueryResult.VectorResult) ENGINE.instant(STORE, Parser.parse(ranked), t);
                QueryResult.VectorResult wi = (QueryResult.VectorResult) ENGINE.instant(STORE, Parser.parse(exact), t);
                SameBits.assertSameVector(wi, gi, ranked + " at " + t);
            }
        }
    }
}
