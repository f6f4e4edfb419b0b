package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.head.Head;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sealed head is let go, not kept for reuse (a second copy of the head's arrays in steady
 * state): each seal starts a new, empty head; a querier that took the sealed head still reads it.
 */
class HeadRecyclingTest {
    @TempDir
    Path dir;
    private Db db;
    private Appender app;
    private long[] refs;

    @BeforeEach
    void open() {
        db = Db.open(DbOptions.defaults(dir).withRetention(Long.MAX_VALUE / 4, 0));
        app = db.appender();
        refs = new long[10];
        for (int k = 0; k < refs.length; k++) {
            refs[k] = app.seriesRef(Labels.of("__name__", "m", "k", Integer.toString(k)));
        }
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** Series k gets timestamps [from, to) with value t * 10 + k. */
    private void write(int series, long from, long to) {
        for (long t = from; t < to; t++) {
            for (int k = 0; k < series; k++) {
                app.append(refs[k], t, t * 10.0 + k);
            }
            app.commit();
        }
    }

    private static int headSamples(Head h, long ref) {
        Samples s = new Samples();
        h.copy((int) ref, Long.MIN_VALUE, Long.MAX_VALUE, s);
        return s.size();
    }

    private static void assertSeries(Querier q, int k, long from, long to) {
        List<Series> got = q.select(List.of(Matcher.eq("__name__", "m"), Matcher.eq("k", Integer.toString(k))));
        assertEquals(1, got.size(), "series k=" + k);
        Samples s = got.get(0).samples();
        assertEquals(to - from, s.size(), "samples of k=" + k);
        for (int i = 0; i < s.size(); i++) {
            assertEquals(from + i, s.timestamp(i), "timestamp " + i + " of k=" + k);
            assertEquals((from + i) * 10.0 + k, s.value(i), "value " + i + " of k=" + k);
        }
    }

    @Test
    void theHeadAfterSealsIsNewAndHoldsOnlyNewSamples() {
        write(10, 0, 100);
        Head first = db.head();
        db.seal();
        write(5, 100, 110);
        db.seal();
        assertNotSame(first, db.head(), "the head sealed two seals ago is not reused");
        assertEquals(0, db.head().samples());
        for (long ref : refs) {
            assertEquals(0, headSamples(db.head(), ref), "the new head holds nothing of series " + ref);
        }
        // Fewer series and later times than its last generation: nothing old may show through.
        write(3, 200, 203);
        db.foldPending(); // the last commit waits to be filed, as it does until the next collection
        assertEquals(9, db.head().samples());
        assertEquals(200, db.head().minT());
        assertEquals(202, db.head().maxT());
        for (int k = 0; k < refs.length; k++) {
            assertEquals(k < 3 ? 3 : 0, headSamples(db.head(), refs[k]), "series " + k);
        }
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            assertSeries(q, 7, 0, 100);
        }
    }

    @Test
    void aQuerierHoldingAHeadBlocksItsReuse() {
        write(10, 0, 100);
        Head first = db.head();
        Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE);
        db.seal();
        write(10, 100, 200);
        db.seal();
        assertNotSame(first, db.head(), "a head a querier holds is not reused");
        write(10, 300, 301);
        // The querier made before both seals reads its own head: exactly 0..99, nothing newer.
        assertSeries(q, 4, 0, 100);
        q.close();
        assertThrows(StorageException.class, () -> q.select(List.of(Matcher.eq("__name__", "m"))));
        try (Querier all = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Series> got = all.select(List.of(Matcher.eq("__name__", "m"), Matcher.eq("k", "4")));
            assertEquals(201, got.get(0).samples().size());
        }
    }

    @Test
    void aSealedHeadIsNotReusedOnceItsQuerierClosesEither() {
        write(10, 0, 100);
        Head first = db.head();
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            db.seal();
            assertSeries(q, 2, 0, 100);
        }
        assertEquals(0, first.readers());
        write(10, 100, 200);
        db.seal();
        assertNotSame(first, db.head(), "let go, not reused");
        assertEquals(0, first.readers());
    }
}
