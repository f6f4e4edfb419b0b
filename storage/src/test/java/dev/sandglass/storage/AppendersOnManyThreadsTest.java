package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sources commit from their own threads (registry loop, scrape pool, VMM and agent pollers), and a
 * scrape target's appender runs on whichever pool thread is free: every commit must be durable
 * and visible, on any thread, and survive a reopen.
 */
class AppendersOnManyThreadsTest {
    @TempDir
    Path tmp;

    @Test
    void commitsFromSeveralThreadsAreAllKept() throws Exception {
        DbOptions opts = DbOptions.defaults(tmp.resolve("data"));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (Db db = Db.open(opts)) {
            Appender[] apps = {db.appender(), db.appender()};
            long[] refs = {apps[0].seriesRef(Labels.of("__name__", "a")), apps[1].seriesRef(Labels.of("__name__", "b"))};
            for (int round = 0; round < 30; round++) {
                final int r = round;
                // Each appender is used by one thread at a time, but not always the same thread.
                Future<?> f0 = pool.submit(() -> {
                    apps[0].append(refs[0], 1000L + r, r);
                    apps[0].commit();
                });
                Future<?> f1 = pool.submit(() -> {
                    apps[1].append(refs[1], 1000L + r, -r);
                    apps[1].commit();
                });
                f0.get();
                f1.get();
            }
        } finally {
            pool.shutdown();
        }
        try (Db db = Db.open(opts); Querier q = db.querier(0, Long.MAX_VALUE)) {
            for (String name : List.of("a", "b")) {
                assertEquals(30, q.select(List.of(Matcher.eq("__name__", name))).get(0).samples().size(), name);
            }
        }
    }
}
