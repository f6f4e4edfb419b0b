package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A selection of churned series spread over many blocks (each series in one block) is read one
 * block at a time and keeps none of them, with the same samples, last samples and head samples
 * as a selection read the usual way; a dense selection still keeps its blocks.
 */
class StreamedBlocksTest {
    private static final int SERIES = 3_000;
    private static final long T0 = 1_700_000_000_000L;

    /** Series k: one sample at T0 + k * 6 s (3,000 of them span 5 hours: 10 or more blocks of 30 minutes). */
    private static long timeOf(int k) {
        return T0 + k * 6_000L;
    }

    private static Labels churn(int k) {
        return Labels.of("__name__", "m", "run", String.format("r-%05d", k), "template", "t" + (k % 7));
    }

    private static Db write(Path dir) {
        Db db = Db.open(DbOptions.defaults(dir).withRetention(100L * 365 * 86_400_000L, 0));
        try (BulkAppender app = db.bulkAppender()) {
            for (int k = 0; k < SERIES; k++) {
                app.appendAll(app.seriesRef(churn(k)), new long[] {timeOf(k)}, new double[] {k * 0.5}, 1);
            }
            long dense = app.seriesRef(Labels.of("__name__", "dense", "template", "t3"));
            long[] ts = new long[SERIES];
            double[] vs = new double[SERIES];
            for (int k = 0; k < SERIES; k++) {
                ts[k] = timeOf(k) + 1;
                vs[k] = -k;
            }
            app.appendAll(dense, ts, vs, SERIES);
            app.finish();
        }
        return db;
    }

    @Test
    void aSparseSelectionOverManyBlocksKeepsNoneAndAnswersTheSame(@TempDir Path dir) {
        try (Db db = write(dir)) {
            assertTrue(db.blockCount() > StreamedBlocks.WINDOW, db.blockCount() + " blocks");
            // Two series also get a newer sample in the head, one of them a rewrite of its block's timestamp.
            Appender a = db.appender();
            a.append(a.seriesRef(churn(3)), timeOf(3) + 60_000, 99);
            a.append(a.seriesRef(churn(10)), timeOf(10), 42);
            a.commit();
            List<Matcher> t3 = List.of(new Matcher(Matcher.Type.EQ, "__name__", "m"), new Matcher(Matcher.Type.EQ, "template", "t3"));
            try (DbQuerier q = (DbQuerier) db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                List<Series> got = q.selectLazily(t3);
                assertEquals(0, q.blocksHeld(), "a sparse selection's blocks are given back as it reads them");
                assertEquals((SERIES + 6 - 3) / 7, got.size());
                Samples[] last = new Samples[got.size()];
                for (int i = 0; i < last.length; i++) {
                    last[i] = new Samples();
                }
                q.lastOfEach(got, last);
                for (int i = 0; i < got.size(); i++) {
                    Series s = got.get(i);
                    int k = Integer.parseInt(s.labels().get("run").substring(2));
                    assertEquals(k % 7, 3);
                    Samples x = s.samples();
                    // The same series read alone (its one block: the usual path) from another querier.
                    try (DbQuerier one = (DbQuerier) db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                        Samples alone = one.selectLazily(List.of(new Matcher(Matcher.Type.EQ, "run", s.labels().get("run")))).get(0).samples();
                        assertTrue(one.blocksHeld() > 0, "one block: read the usual way");
                        assertEquals(alone.size(), x.size(), "run " + k);
                        for (int j = 0; j < x.size(); j++) {
                            assertEquals(alone.timestamp(j), x.timestamp(j), "run " + k);
                            assertEquals(alone.value(j), x.value(j), "run " + k);
                        }
                    }
                    if (k == 3) {
                        assertEquals(2, x.size());
                        assertEquals(99, x.value(1), "the head's newer sample follows the block's");
                    } else if (k == 10) {
                        assertEquals(1, x.size());
                        assertEquals(42, x.value(0), "the head's rewrite of a block's timestamp wins");
                    } else {
                        assertEquals(1, x.size());
                        assertEquals(timeOf(k), x.timestamp(0));
                        assertEquals(k * 0.5, x.value(0));
                    }
                    assertEquals(x.timestamp(x.size() - 1), last[i].timestamp(0), "last of run " + k);
                    assertEquals(x.value(x.size() - 1), last[i].value(0), "last of run " + k);
                    Samples one = new Samples();
                    assertTrue(s.last(one));
                    assertEquals(x.value(x.size() - 1), one.value(0), "last of run " + k);
                }
            }
        }
    }

    @Test
    void aRangeCutsTheStreamedSamplesAsItCutsTheUsualOnes(@TempDir Path dir) {
        try (Db db = write(dir)) {
            long from = timeOf(700);
            long to = timeOf(2_300);
            List<Matcher> t5 = List.of(new Matcher(Matcher.Type.EQ, "__name__", "m"), new Matcher(Matcher.Type.EQ, "template", "t5"));
            try (DbQuerier q = (DbQuerier) db.querier(from, to)) {
                List<Series> got = q.select(t5);
                assertEquals(0, q.blocksHeld());
                long want = java.util.stream.IntStream.rangeClosed(700, 2_300).filter(k -> k % 7 == 5).count();
                assertEquals(want, got.size(), "only series with a sample in range");
                for (Series s : got) {
                    int k = Integer.parseInt(s.labels().get("run").substring(2));
                    assertTrue(k >= 700 && k <= 2_300, "run " + k);
                }
            }
        }
    }

    @Test
    void aDenseSelectionKeepsItsBlocksAsBeforeAndAMixedOneIsStreamedWhole(@TempDir Path dir) {
        try (Db db = write(dir)) {
            try (DbQuerier q = (DbQuerier) db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                List<Series> got = q.selectLazily(List.of(new Matcher(Matcher.Type.EQ, "__name__", "dense")));
                assertEquals(db.blockCount(), q.blocksHeld(), "a series in every block: read the usual way");
                assertEquals(SERIES, got.get(0).samples().size());
            }
            try (DbQuerier q = (DbQuerier) db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                // 429 churned series and the one in every block: still few hits a series
                List<Series> got = q.selectLazily(List.of(new Matcher(Matcher.Type.EQ, "template", "t3")));
                assertEquals(0, q.blocksHeld());
                Samples dense = got.stream().filter(s -> s.labels().get("__name__").equals("dense")).findFirst().orElseThrow().samples();
                assertEquals(SERIES, dense.size());
                for (int k = 0; k < SERIES; k++) {
                    assertEquals(timeOf(k) + 1, dense.timestamp(k));
                    assertEquals(-k, dense.value(k));
                }
            }
        }
    }
}
