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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries running while commits and seals go on must always see a gap-free prefix of what was
 * committed: a seal moves samples from the head into a block, and no querier may fall between;
 * nor may a seal recycle a head that a querier still reads.
 */
class ConcurrentSealTest {
    @TempDir
    Path dir;

    @Test
    void queriesNeverSeeAGapWhileTheHeadIsSealed() throws Exception {
        try (Db db = Db.open(DbOptions.defaults(dir).withRetention(Long.MAX_VALUE / 4, 0))) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong committed = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    Appender a = db.appender();
                    long[] refs = new long[10];
                    for (int k = 0; k < refs.length; k++) {
                        refs[k] = a.seriesRef(Labels.of("__name__", "c", "k", Integer.toString(k)));
                    }
                    for (long t = 1; !stop.get(); t++) {
                        for (long r : refs) {
                            a.append(r, t, t);
                        }
                        a.commit();
                        committed.set(t);
                        Thread.sleep(1); // paces the writer so each check reads a bounded amount
                        if (t % 20 == 0) {
                            db.seal();
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            writer.start();
            long checks = 0;
            // Counted, not timed: enough checks over enough commits and seals, however slow the machine.
            long hang = System.nanoTime() + 300_000_000_000L; // a guard against a hang, not a speed limit
            while ((checks <= 20 || committed.get() <= 100 || db.blockCount() <= 3) && failure.get() == null && System.nanoTime() < hang) {
                long before = committed.get();
                try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                    // Twice, with seals in between: heads this querier holds must not be recycled
                    // under it (samples would vanish or newer ones show up in their place).
                    for (int pass = 0; pass < 2; pass++) {
                        for (Series s : q.select(List.of(Matcher.eq("__name__", "c")))) {
                            Samples sm = s.samples();
                            assertTrue(sm.size() >= before, "saw " + sm.size() + " samples after " + before + " were committed");
                            for (int i = 0; i < sm.size(); i++) {
                                assertEquals(i + 1, sm.timestamp(i), "gap in " + s.labels() + " at " + i);
                                assertEquals(i + 1.0, sm.value(i), "value in " + s.labels() + " at " + i);
                            }
                        }
                        checks++;
                        Thread.sleep(1);
                    }
                }
            }
            stop.set(true);
            writer.join();
            assertEquals(null, failure.get());
            assertTrue(db.blockCount() > 3, "seals happened: " + db.blockCount());
        }
    }
}
