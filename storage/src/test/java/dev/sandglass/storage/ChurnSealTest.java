package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.RollupSeries;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.rollup.BruteForce;
import dev.sandglass.storage.rollup.RollupStore;
import dev.sandglass.storage.rollup.RollupWriter;
import dev.sandglass.storage.segment.BlockHeader;
import dev.sandglass.storage.segment.SegmentStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live seal of a head holding hundreds of thousands of series (churn: one sample each, as
 * OTLP, scrapes or per-run labels produce) writes every sample and every rollup window, in raw
 * blocks and rollup excerpts that each fit the queue; so does the seal at close after a WAL
 * replay, and a kill -9 after the seal loses nothing.
 */
class ChurnSealTest {
    /** Over three times the series one 4 MB block held before seals were split by size. */
    private static final int SERIES = 300_000;
    /** Two series of many samples ride along, so blocks mix churn with ordinary series. */
    private static final int LONG_SAMPLES = 20_000;
    private static final Matcher CHURN = new Matcher(Matcher.Type.EQ, "__name__", "m_churn");
    private static final Matcher LONG = new Matcher(Matcher.Type.EQ, "__name__", "m_long");
    private static long t0;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        t0 = (System.currentTimeMillis() / 3_600_000L - 2) * 3_600_000L;
    }

    /** Series k's one sample: spread over 20 minutes (so over 5-minute windows), every 2 ms a new one. */
    private static long timeOf(int k) {
        return t0 + (k * 7919L) % 1_200_000L;
    }

    private static double valueOf(int k) {
        return k * 0.5 + (k % 3 == 0 ? 1e9 : 0);
    }

    private static void write(Db db) {
        Appender a = db.appender();
        for (int k = 0; k < SERIES; k++) {
            // Labels as OTLP churn has them: a new pod, trace or run id per series.
            a.append(a.seriesRef(Labels.of("__name__", "m_churn", "job", "otlp", "run", "r-" + k)), timeOf(k), valueOf(k));
        }
        a.commit(); // one batch of 300,000 samples, as one huge OTLP or remote-write request: the WAL splits it
        for (int s = 0; s < 2; s++) {
            long ref = a.seriesRef(Labels.of("__name__", "m_long", "s", Integer.toString(s)));
            for (int i = 0; i < LONG_SAMPLES; i++) {
                a.append(ref, t0 + i * 250L, s == 0 ? i : Math.sin(i));
            }
        }
        a.commit();
    }

    private static void assertAllBack(Db db, String when) {
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Series> got = q.select(List.of(CHURN));
            assertEquals(SERIES, got.size(), when + ": churn series");
            for (Series s : got) {
                int k = Integer.parseInt(s.labels().get("run").substring(2));
                Samples x = s.samples();
                assertEquals(1, x.size(), when + ": samples of run " + k);
                assertEquals(timeOf(k), x.timestamp(0), when + ": time of run " + k);
                assertEquals(valueOf(k), x.value(0), when + ": value of run " + k);
            }
            for (long res : RollupWriter.RESOLUTIONS_MS) {
                List<RollupSeries> rolled = q.selectRollups(List.of(CHURN), res, Long.MIN_VALUE, Long.MAX_VALUE);
                assertEquals(SERIES, rolled.size(), when + ": churn series rolled up at " + res);
                for (RollupSeries r : rolled) {
                    int k = Integer.parseInt(r.labels().get("run").substring(2));
                    String at = when + ": run " + k + " at " + res + " ms";
                    assertEquals(1, r.size(), at);
                    assertEquals(Math.floorDiv(timeOf(k), res) * res, r.windowStart()[0], at);
                    assertEquals(timeOf(k), r.firstT()[0], at);
                    assertEquals(timeOf(k), r.lastT()[0], at);
                    assertEquals(1.0, r.count()[0], at);
                    assertEquals(valueOf(k), r.sum()[0], at);
                    assertEquals(valueOf(k), r.max()[0], at);
                    assertEquals(valueOf(k), r.last()[0], at);
                }
            }
            List<Series> longs = q.select(List.of(LONG));
            assertEquals(2, longs.size(), when);
            for (Series s : longs) {
                assertEquals(LONG_SAMPLES, s.samples().size(), when + ": samples of " + s.labels());
            }
            for (RollupSeries r : q.selectRollups(List.of(LONG), RollupWriter.RESOLUTIONS_MS[0], Long.MIN_VALUE, Long.MAX_VALUE)) {
                Samples raw = longs.stream().filter(s -> s.labels().equals(r.labels())).findFirst().orElseThrow().samples();
                BruteForce.assertSame(BruteForce.windows(raw, r.resolutionMs()), r, when + ": " + r.labels());
            }
        }
        // Every block and excerpt within the queue's limit, every raw block covered by rollups.
        for (BlockHeader h : db.segments().directory()) {
            assertTrue(h.bytes() <= SegmentStore.MAX_BLOCK_BYTES, when + ": a block of " + h.bytes() + " bytes");
            assertTrue(db.rollups().coverage(Long.MAX_VALUE).covers(h.index()), when + ": block " + h.index() + " covered");
        }
        for (RollupStore.Entry e : db.rollups().counted(Long.MAX_VALUE)) {
            assertTrue(e.bytes() <= RollupStore.MAX_EXCERPT_BYTES, when + ": an excerpt of " + e.bytes() + " bytes");
        }
    }

    @Test
    void aSealOfManySeriesKeepsEverySampleAndWindowThroughKillsBeforeAndAfterIt() {
        // 300,000 new series take ~20 s to index on this machine: one write, checked twice.
        DbOptions opts = DbOptions.defaults(dir);
        try (Db db = Db.open(opts)) {
            write(db);
            db.closeWithoutSeal(); // kill -9 before any seal: all of it is in the WAL only
        }
        try (Db db = Db.open(opts)) {
            assertTrue(db.replayedBatches >= SERIES / 16_384, db.replayedBatches + " WAL excerpts replayed");
            db.seal(); // as the seal job does; it failed before (one 4.6 MB block)
            assertTrue(db.blockCount() >= 3, db.blockCount() + " blocks: the seal was split");
            assertAllBack(db, "after the seal");
            db.closeWithoutSeal(); // kill -9 right after the seal
        }
        try (Db db = Db.open(opts)) {
            assertEquals(0, db.replayedBatches, "the seal's checkpoint covers the WAL");
            assertAllBack(db, "after a kill -9 and a reopen");
        }
    }

    @Test
    void anImportOfValuesThatHardlyCompressIsSplitByBytes() {
        // 700,000 random doubles in one 30-minute import block: ~6 MB, over the 4 MB an excerpt holds.
        Random rnd = new Random(12);
        long[] t = new long[700_000];
        double[] v = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = t0 + i * 2L;
            v[i] = rnd.nextDouble();
        }
        DbOptions opts = DbOptions.defaults(dir);
        try (Db db = Db.open(opts)) {
            try (BulkAppender b = db.bulkAppender()) {
                b.appendAll(b.seriesRef(Labels.of("__name__", "m_noise")), t.clone(), v.clone(), t.length);
                b.finish();
            }
            assertTrue(db.blockCount() >= 2, db.blockCount() + " blocks");
        }
        try (Db db = Db.open(opts)) {
            Map<String, Samples> raw = RollupTest.raw(db);
            Samples got = raw.get("m_noise");
            assertEquals(t.length, got.size());
            for (int i = 0; i < t.length; i++) {
                assertEquals(t[i], got.timestamp(i));
                assertEquals(v[i], got.value(i));
            }
            RollupTest.assertRollupsMatch(db, raw, "after the split import");
        }
    }

    @Test
    void aSealOfValuesThatHardlyCompressIsSplitByBytes() {
        // 700,000 random doubles of one series take ~6 MB: one block cannot hold them.
        Random rnd = new Random(11);
        Samples want = new Samples();
        DbOptions opts = DbOptions.defaults(dir);
        try (Db db = Db.open(opts)) {
            Appender a = db.appender();
            long ref = a.seriesRef(Labels.of("__name__", "m_noise"));
            for (int i = 0; i < 700_000; i++) {
                long at = t0 + i * 10L;
                double v = rnd.nextDouble() * 1e6;
                a.append(ref, at, v);
                want.add(at, v);
            }
            a.commit();
            db.seal();
            assertTrue(db.blockCount() >= 2, db.blockCount() + " blocks");
        }
        try (Db db = Db.open(opts)) {
            Map<String, Samples> raw = RollupTest.raw(db);
            Samples got = raw.get("m_noise");
            assertEquals(want.size(), got.size());
            for (int i = 0; i < want.size(); i++) {
                assertEquals(want.timestamp(i), got.timestamp(i));
                assertEquals(want.value(i), got.value(i));
            }
            RollupTest.assertRollupsMatch(db, raw, "after the split seal");
            for (BlockHeader h : db.segments().directory()) {
                assertTrue(h.bytes() <= SegmentStore.MAX_BLOCK_BYTES, "a block of " + h.bytes() + " bytes");
            }
        }
    }
}
