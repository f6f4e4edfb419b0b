package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * A commit hands its batch to the head, which files it into its series between collections
 * (Appender.prepareNext): a querier made after commit returns must see the batch whether or not
 * that has happened, with the last write of a timestamp winning across batches.
 */
class CommitVisibilityTest {
    @TempDir
    Path dir;

    private static Samples read(Db db) {
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Series> s = q.select(List.of(Matcher.eq("__name__", "m")));
            return s.isEmpty() ? new Samples() : s.get(0).samples();
        }
    }

    @Test
    void aQuerierMadeAfterCommitSeesTheBatchWithoutPrepareNext() {
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            Appender a = db.appender();
            long ref = a.seriesRef(Labels.of("__name__", "m"));
            a.append(ref, 1000, 1.0);
            a.commit();
            assertEquals(1, read(db).size());
            a.append(ref, 2000, 2.0);
            a.append(ref, 1000, 5.0); // rewrites t=1000 within the pending batch
            a.commit();
            a.append(ref, 500, 0.5); // out of order, and a third batch before any prepareNext
            a.commit();
            Samples s = read(db);
            assertEquals(3, s.size());
            assertEquals(500, s.timestamp(0));
            assertEquals(5.0, s.value(1), "last write of t=1000 wins");
            assertEquals(2.0, s.value(2));
            a.prepareNext();
            a.prepareNext();
            assertEquals(3, read(db).size(), "filing twice changes nothing");
        }
    }

    @Test
    void aPendingBatchIsSealedAndReplayed() {
        Db db = Db.open(DbOptions.defaults(dir));
        Appender a = db.appender();
        long ref = a.seriesRef(Labels.of("__name__", "m"));
        a.append(ref, 1000, 1.0);
        a.commit();
        db.seal(); // files the pending batch before sealing it
        assertEquals(1, db.blockCount());
        a.append(ref, 2000, 2.0);
        a.commit();
        db.closeWithoutSeal(); // pending and unfiled: only the WAL has it
        try (Db again = Db.open(DbOptions.defaults(dir))) {
            Samples s = read(again);
            assertEquals(2, s.size());
            assertEquals(2.0, s.value(1));
        }
    }
}
