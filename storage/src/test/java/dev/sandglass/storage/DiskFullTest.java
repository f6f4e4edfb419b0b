package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.DiskFullException;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.StorageException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store on a 48 MB tmpfs that the test fills: commits and seals are refused with a
 * DiskFullException (no SIGBUS: the pre-fault and every mapped write check free space first),
 * the store says it is not writable, queries keep answering, and writes resume by themselves once
 * space is freed; after a reopen every committed sample is there exactly once.
 */
class DiskFullTest {
    static final int SERIES = 200;

    @TempDir
    Path tmp;

    private static void commit(Appender a, long[] refs, long t) {
        for (int k = 0; k < refs.length; k++) {
            a.append(refs[k], t, t * 0.25 + k);
        }
        a.commit();
        a.prepareNext();
    }

    private static void assertExactlyOnce(Db db, long firstT, long lastT) {
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Series> all = q.select(List.of(Matcher.eq("__name__", "full")));
            assertEquals(SERIES, all.size());
            for (Series s : all) {
                int k = Integer.parseInt(s.labels().get("k"));
                Samples sm = s.samples();
                assertEquals(lastT - firstT + 1, sm.size(), "series " + k);
                for (int i = 0; i < sm.size(); i++) {
                    assertEquals(firstT + i, sm.timestamp(i));
                    assertEquals((firstT + i) * 0.25 + k, sm.value(i));
                }
            }
        }
    }

    @Test
    void aFullDiskPausesWritesAndTheyResumeWhenSpaceReturns() throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.mount(tmp.resolve("fs"), 48)) {
            Path data = fs.dir.resolve("data");
            long t = 1_000;
            long firstT = t;
            DbOptions opts = DbOptions.defaults(data).withRetention(Long.MAX_VALUE / 4, 0);
            try (Db db = Db.open(opts)) {
                Appender a = db.appender();
                long[] refs = new long[SERIES];
                for (int k = 0; k < SERIES; k++) {
                    refs[k] = a.seriesRef(Labels.of("__name__", "full", "k", Integer.toString(k)));
                }
                for (; t < 1_500; t++) {
                    commit(a, refs, t);
                }
                db.seal();
                for (; t < 2_000; t++) {
                    commit(a, refs, t);
                }
                assertTrue(db.health().writable());

                fs.fill();
                long lastCommitted = t - 1;
                for (int i = 0; i < 50; i++) {
                    final long tt = t;
                    assertThrows(DiskFullException.class, () -> commit(a, refs, tt));
                    a.prepareNext(); // the pre-fault that died of SIGBUS on a full disk
                }
                assertThrows(DiskFullException.class, db::seal, "a seal on a full disk is refused whole");
                assertThrows(StorageException.class, () -> a.seriesRef(Labels.of("__name__", "full", "k", "new")));
                assertFalse(db.health().writable());
                assertEquals(52, db.health().failures("disk_full"), "50 commits, a seal and a new series refused");
                assertTrue(db.health().writePrometheusTextString().contains("sandglass_storage_writable 0"));
                assertExactlyOnce(db, firstT, lastCommitted); // queries keep working, nothing lost

                fs.free();
                commit(a, refs, t++);
                assertTrue(db.health().writable(), "writes resume by themselves");
                for (; t < 2_600; t++) {
                    commit(a, refs, t);
                }
                db.seal(); // the head the failed seal put back, and what came since
                assertExactlyOnce(db, firstT, t - 1);
            }
            try (Db db = Db.open(opts)) {
                assertExactlyOnce(db, firstT, t - 1);
                assertEquals(0, db.replayedBatches, "sealed at close: nothing to replay");
            }
        }
    }

    @Test
    void aNewStoreOnAFullDiskIsAClearErrorAndAnOldOneStillOpens() throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.mount(tmp.resolve("fs"), 32)) {
            Path old = fs.dir.resolve("old");
            DbOptions opts = DbOptions.defaults(old).withRetention(Long.MAX_VALUE / 4, 0);
            try (Db db = Db.open(opts)) {
                Appender a = db.appender();
                long ref = a.seriesRef(Labels.of("__name__", "x"));
                a.append(ref, 5_000, 1.5);
                a.commit();
            }
            fs.fill();
            StorageException e = assertThrows(StorageException.class, () -> Db.open(DbOptions.defaults(fs.dir.resolve("new"))));
            assertTrue(e.getMessage().contains("file system is full"), e.getMessage());
            try (Db db = Db.open(opts); Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                assertEquals(1.5, q.select(List.of(Matcher.eq("__name__", "x"))).get(0).samples().value(0));
                Appender a = db.appender();
                long ref = a.seriesRef(Labels.of("__name__", "x"));
                a.append(ref, 6_000, 2.5);
                assertThrows(DiskFullException.class, a::commit);
                fs.free();
                a.append(ref, 6_000, 2.5);
                a.commit();
            }
        }
    }
}
