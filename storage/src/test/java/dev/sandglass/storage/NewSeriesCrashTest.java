package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * New series are written to the index log in one batch per commit and copied into the map later:
 * a child JVM that mints 100 series a batch is killed with SIGKILL twice on the same data
 * dir. After each kill every committed batch's series are there with their one sample, every
 * sample sits under the labels it was written for (a ref handed out twice would put it under
 * another's), and series added after the reopen take new refs.
 */
class NewSeriesCrashTest {
    @TempDir
    Path dir;

    @Test
    void newSeriesOfEveryCommittedBatchSurviveSigkillUnderTheirOwnLabels() throws Exception {
        long next = 0;
        for (int round = 0; round < 2; round++) {
            long committed = KilledChild.runAndKill(NewSeriesCrashChild.class, dir, next, 1000);
            assertTrue(committed >= next, "round " + round + ": the child committed nothing");
            try (Db db = Db.open(DbOptions.defaults(dir).withRetention(Long.MAX_VALUE / 4, 0))) {
                long highest = -1;
                int withSamples = 0;
                try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                    for (Series s : q.select(List.of(Matcher.eq("__name__", "churn")))) {
                        long b = Long.parseLong(s.labels().get("b"));
                        int i = Integer.parseInt(s.labels().get("i"));
                        Samples sm = s.samples();
                        // A batch killed between its series' write and its WAL commit leaves series without samples.
                        assertTrue(sm.size() <= 1, s.labels() + " has " + sm.size() + " samples");
                        if (sm.size() == 1) {
                            assertEquals(b, sm.timestamp(0), "timestamp under " + s.labels());
                            assertEquals(b * 1000.0 + i, sm.value(0), "value under " + s.labels());
                            withSamples++;
                            highest = Math.max(highest, b);
                        } else {
                            assertTrue(b > committed, "committed batch " + b + " lost its sample for " + s.labels());
                        }
                    }
                }
                assertTrue(highest >= committed, "round " + round + ": batch " + committed + " was committed, highest stored " + highest);
                assertEquals((highest + 1) * NewSeriesCrashChild.PER_BATCH, withSamples, "round " + round + ": every batch up to " + highest);
                next = highest + 1;
                try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                    List<Series> after = q.select(List.of(Matcher.eq("__name__", "after")));
                    assertEquals(round, after.size(), "one series added after each earlier reopen");
                    for (Series s : after) {
                        assertEquals(Double.parseDouble(s.labels().get("round")), s.samples().value(0), "value under " + s.labels());
                    }
                }
                // A series added after the kill takes a ref none of the stored series has: checked
                // by the next round, which finds every sample still under its own labels.
                Appender a = db.appender();
                Labels l = Labels.of("__name__", "after", "round", Integer.toString(round));
                long ref = a.seriesRef(l);
                a.append(ref, next, round);
                a.commit();
                assertEquals(l, db.seriesLabels((int) ref));
            }
        }
    }
}
