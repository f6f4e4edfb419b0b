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

class WalReplayTest {
    @TempDir
    Path dir;

    private static void write(Db db, long t0, int batches) {
        Appender a = db.appender();
        long ref = a.seriesRef(Labels.of("__name__", "m", "k", "v"));
        for (int b = 0; b < batches; b++) {
            a.append(ref, t0 + b * 1000L, b * 1.5);
            a.commit();
        }
    }

    private static Samples read(Db db) {
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Series> s = q.select(List.of(Matcher.eq("__name__", "m")));
            assertEquals(1, s.size());
            return s.get(0).samples();
        }
    }

    @Test
    void committedButUnsealedDataIsReplayedAfterAnUncleanStop() {
        Db db = Db.open(DbOptions.defaults(dir));
        write(db, 1_000_000, 100);
        db.closeWithoutSeal();
        try (Db again = Db.open(DbOptions.defaults(dir))) {
            assertEquals(100, again.replayedBatches);
            Samples s = read(again);
            assertEquals(100, s.size());
            for (int i = 0; i < 100; i++) {
                assertEquals(1_000_000 + i * 1000L, s.timestamp(i));
                assertEquals(i * 1.5, s.value(i));
            }
        }
    }

    @Test
    void replayStartsAfterTheSealCheckpoint() {
        Db db = Db.open(DbOptions.defaults(dir));
        write(db, 1_000_000, 50);
        db.seal();
        write(db, 2_000_000, 7);
        db.closeWithoutSeal();
        try (Db again = Db.open(DbOptions.defaults(dir))) {
            assertEquals(7, again.replayedBatches);
            assertEquals(57, read(again).size());
        }
        try (Db clean = Db.open(DbOptions.defaults(dir))) {
            assertEquals(0, clean.replayedBatches);
            assertTrue(clean.blockCount() >= 2);
            assertEquals(57, read(clean).size());
        }
    }
}
