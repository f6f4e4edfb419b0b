package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.api.Values;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbTest {
    @TempDir
    Path dir;

    private static double[] specialValues(int n, long seed) {
        Random r = new Random(seed);
        double[] special = {0.0, -0.0, Double.NaN, Double.longBitsToDouble(0x7ff8dead00000001L), Values.STALE_NAN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MIN_NORMAL, 1e-310};
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i < special.length ? special[i] : Double.longBitsToDouble(r.nextLong());
        }
        return v;
    }

    private static Samples read(Db db, String name) {
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Series> s = q.select(List.of(Matcher.eq("__name__", name)));
            assertEquals(1, s.size(), name);
            return s.get(0).samples();
        }
    }

    private static void assertBits(double[] want, Samples got, long t0) {
        assertEquals(want.length, got.size());
        for (int i = 0; i < want.length; i++) {
            assertEquals(t0 + i * 1000L, got.timestamp(i));
            assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got.value(i)), "value " + i);
        }
    }

    @Test
    void everyBitPatternSurvivesHeadSealAndReopen() {
        double[] v = specialValues(2000, 1);
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            Appender a = db.appender();
            long ref = a.seriesRef(Labels.of("__name__", "bits", "k", "v"));
            for (int i = 0; i < v.length; i++) {
                a.append(ref, 1_000_000 + i * 1000L, v[i]);
                if (i % 100 == 99) {
                    a.commit();
                }
            }
            a.commit();
            assertBits(v, read(db, "bits"), 1_000_000);
            db.seal();
            assertBits(v, read(db, "bits"), 1_000_000);
            assertTrue(db.blockCount() >= 1);
        }
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            assertBits(v, read(db, "bits"), 1_000_000);
        }
    }

    @Test
    void lazySelectionReadsTheSameSamplesIntoAReusedBuffer() {
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            Appender a = db.appender();
            long[] refs = new long[3];
            for (int k = 0; k < refs.length; k++) {
                refs[k] = a.seriesRef(Labels.of("__name__", "lazy", "k", "s" + k));
            }
            // Blocks, then the head: each series' samples span both, and s2 has none in range.
            for (int i = 0; i < 300; i++) {
                a.append(refs[0], 1_000_000 + i * 1000L, i);
                a.append(refs[1], 1_000_000 + i * 1000L, -i * 0.5);
                if (i == 150) {
                    a.commit();
                    db.seal();
                }
            }
            a.append(refs[2], 5_000_000, 1);
            a.commit();
            try (Querier q = db.querier(1_000_000, 1_400_000)) {
                List<Series> eager = q.select(List.of(Matcher.eq("__name__", "lazy")));
                List<Series> lazy = q.selectLazily(List.of(Matcher.eq("__name__", "lazy")));
                assertEquals(2, eager.size());
                assertEquals(3, lazy.size(), "lazily, a series without samples in range is still listed");
                Samples buffer = new Samples();
                for (int k = 0; k < 2; k++) {
                    assertEquals(eager.get(k).labels(), lazy.get(k).labels());
                    Samples want = eager.get(k).samples();
                    Samples got = lazy.get(k).samples(buffer);
                    assertTrue(got == buffer, "read into the buffer given");
                    assertEquals(300, got.size());
                    for (int i = 0; i < want.size(); i++) {
                        assertEquals(want.timestamp(i), got.timestamp(i));
                        assertEquals(want.value(i), got.value(i));
                    }
                }
                assertEquals(0, lazy.get(2).samples(buffer).size());
                q.close();
                assertThrows(StorageException.class, () -> lazy.get(0).samples(buffer));
            }
        }
    }

    /** Segment readers are pooled across queriers: one thread's must serve the next on another. */
    @Test
    void pooledSegmentReadersServeQueriesOnOtherThreads() throws Exception {
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            Appender a = db.appender();
            long ref = a.seriesRef(Labels.of("__name__", "pooled"));
            for (int i = 0; i < 500; i++) {
                a.append(ref, 1_000_000 + i * 1000L, i);
                if (i % 100 == 99) {
                    a.commit();
                    db.seal();
                }
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
            try {
                List<java.util.concurrent.Future<Integer>> sizes = new java.util.ArrayList<>();
                for (int q = 0; q < 30; q++) {
                    sizes.add(pool.submit(() -> read(db, "pooled").size()));
                }
                for (var f : sizes) {
                    assertEquals(500, f.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(500, read(db, "pooled").size());
        }
    }

    @Test
    void cleanCloseLosesNothingAndReadOnlyOpenSeesIt() {
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            Appender a = db.appender();
            long r1 = a.seriesRef(Labels.of("__name__", "m", "sandbox_name", "a"));
            long r2 = a.seriesRef(Labels.of("__name__", "m", "sandbox_name", "b"));
            for (int i = 0; i < 100; i++) {
                a.append(r1, i * 1000L, i);
                a.append(r2, i * 1000L, -i);
                a.commit();
            }
        }
        try (Db db = Db.open(DbOptions.defaults(dir).asReadOnly()); Querier q = db.querier(10_000, 19_999)) {
            List<Series> s = q.select(List.of(Matcher.eq("__name__", "m")));
            assertEquals(2, s.size());
            assertEquals("a", s.get(0).labels().get("sandbox_name"));
            assertEquals(10, s.get(0).samples().size());
            assertEquals(-10.0, s.get(1).samples().value(0));
            assertEquals(List.of("a", "b"), q.labelValues("sandbox_name", List.of()));
            assertEquals(List.of("__name__", "sandbox_name"), q.labelNames(List.of()));
            List<Series> re = q.select(List.of(new Matcher(Matcher.Type.RE, "sandbox_name", "b|c")));
            assertEquals(1, re.size());
            assertThrows(StorageException.class, db::appender);
        }
    }

    @Test
    void sameTimestampLastWriteWinsAcrossHeadAndBlocks() {
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            Appender a = db.appender();
            long r = a.seriesRef(Labels.of("__name__", "dup"));
            a.append(r, 1000, 1);
            a.append(r, 3000, 3);
            a.commit();
            db.seal();
            a.append(r, 3000, 33);
            a.append(r, 2000, 2);
            a.commit();
            Samples s = read(db, "dup");
            assertEquals(3, s.size());
            assertEquals(2.0, s.value(1));
            assertEquals(33.0, s.value(2));
        }
    }

    @Test
    void bulkAppenderSortsAndSplitsIntoBlocks() {
        try (Db db = Db.open(DbOptions.defaults(dir).withRetention(Long.MAX_VALUE / 4, 0))) {
            try (BulkAppender b = db.bulkAppender()) {
                long r = b.seriesRef(Labels.of("__name__", "imp"));
                for (int i = 9999; i >= 0; i--) {
                    b.append(r, i * 1000L, i * 0.5);
                }
                assertEquals(10_000, b.finish());
            }
            Samples s = read(db, "imp");
            assertEquals(10_000, s.size());
            for (int i = 0; i < s.size(); i++) {
                assertEquals(i * 1000L, s.timestamp(i));
                assertEquals(i * 0.5, s.value(i));
            }
            assertEquals(6, db.blockCount()); // 0..9999 s spans six 30-minute blocks
        }
    }

    @Test
    void secondWriterIsRefusedWithTheReason() {
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            StorageException e = assertThrows(StorageException.class, () -> Db.open(DbOptions.defaults(dir)));
            assertTrue(e.getMessage().contains("in use by another Sandglass process"), e.getMessage());
        }
    }
}
