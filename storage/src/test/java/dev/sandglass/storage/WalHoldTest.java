package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.wal.WalWatcher;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a WAL reader (remote-write sender) holds back from the seal, and what it reads. */
class WalHoldTest {
    static long commit(Db db, long t) {
        Appender a = db.appender();
        a.append(a.seriesRef(Labels.of("__name__", "m")), t, 1);
        a.commit();
        try (WalWatcher w = db.walWatcher(Long.MAX_VALUE)) {
            return w.position();
        }
    }

    @Test
    void aHoldKeepsTheWalUnlessItIsOlderThanRetention(@TempDir Path dir) {
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            long first = commit(db, 1000);
            long second = commit(db, 2000);
            long now = System.currentTimeMillis();
            assertEquals(second, db.walKeepFrom(second, now), "no hold: the seal keeps from its checkpoint");
            AtomicLong need = new AtomicLong(-1);
            db.holdWal(need::get);
            assertEquals(second, db.walKeepFrom(second, now), "a reader needing nothing holds nothing");
            need.set(first);
            assertEquals(first, db.walKeepFrom(second, now), "a reader behind keeps its excerpt's cycle");
            long farFuture = now + 400L * 24 * 3600_000;
            assertEquals(second, db.walKeepFrom(second, farFuture), "a hold older than the retention window is let go");
        }
    }

    @Test
    void aWatcherReadsWholeBatchesAfterItsPosition(@TempDir Path dir) {
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            long first = commit(db, 1000);
            commit(db, 2000);
            long third = commit(db, 3000);
            try (WalWatcher w = db.walWatcher(first)) {
                WalWatcher.Batch b = new WalWatcher.Batch();
                assertEquals(true, w.next(b, 1000));
                assertEquals(2, b.size);
                assertEquals(2000, b.ts[0]);
                assertEquals(3000, b.ts[1]);
                assertEquals(third, b.lastIndex);
                b.clear();
                assertEquals(false, w.next(b, 1000), "nothing new");
                commit(db, 4000);
                assertEquals(true, w.next(b, 1000), "a commit made after the end was reached");
                assertEquals(4000, b.ts[0]);
            }
        }
    }
}
