package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.head.HeadBudget;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store fed more than its head budget holds: it seals early instead of growing (the heads stay
 * near the budget however fast samples come), and every sample is still there, bit for bit, read
 * back while running and after a reopen.
 */
class HeadBudgetTest {
    @TempDir
    Path dir;

    static final int SERIES = 4000;
    static final int ROUNDS = 60;

    private static double value(int s, int round) {
        return s * 1000.0 + round + 0.25;
    }

    @Test
    void aHeadOverItsBudgetIsSealedEarlyAndLosesNothing() {
        long limit = HeadBudget.MIN_BYTES;
        long maxHeld = 0;
        try (Db db = Db.open(DbOptions.defaults(dir).withRetention(Long.MAX_VALUE / 4, 0))) {
            db.limitHead(limit);
            Appender a = db.appender();
            long[] refs = new long[SERIES];
            for (int s = 0; s < SERIES; s++) {
                refs[s] = a.seriesRef(Labels.of("__name__", "m", "s", Integer.toString(s)));
            }
            long t0 = System.currentTimeMillis() - ROUNDS * 1000L;
            for (int round = 0; round < ROUNDS; round++) {
                for (int s = 0; s < SERIES; s++) {
                    a.append(refs[s], t0 + round * 1000L, value(s, round));
                }
                a.commit();
                a.prepareNext();
                maxHeld = Math.max(maxHeld, db.headBytes());
            }
            // 240,000 samples: ~3.8 MB as 16-byte samples alone, ~4x the budget.
            assertTrue(db.headBudget().earlySeals() >= 2, "sealed early: " + db.headBudget().earlySeals());
            // A writer seals on its own thread past twice the budget; one commit can add up to
            // another budget's worth when every series' array doubles in it (they grow in step).
            assertTrue(maxHeld <= 4 * limit, "the heads stay near their budget: at most " + maxHeld + " bytes against " + limit);
            checkAll(db);
            StringBuilder text = new StringBuilder();
            db.headBudget().writePrometheusText(text);
            assertTrue(text.toString().contains("sandglass_storage_head_limit_bytes " + limit), text.toString());
        }
        try (Db db = Db.open(DbOptions.defaults(dir).withRetention(Long.MAX_VALUE / 4, 0))) {
            checkAll(db);
        }
    }

    private static void checkAll(Db db) {
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Series> all = q.select(List.of(Matcher.eq("__name__", "m")));
            assertEquals(SERIES, all.size());
            long total = 0;
            for (Series se : all) {
                int s = Integer.parseInt(se.labels().get("s"));
                Samples x = se.samples();
                assertEquals(ROUNDS, x.size(), "series " + s + " has every sample once");
                for (int i = 0; i < x.size(); i++) {
                    assertEquals(Double.doubleToRawLongBits(value(s, i)), Double.doubleToRawLongBits(x.value(i)), "series " + s + " sample " + i);
                }
                total += x.size();
            }
            assertEquals((long) SERIES * ROUNDS, total);
        }
    }
}
