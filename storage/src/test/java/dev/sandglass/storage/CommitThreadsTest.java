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

/** Appenders on several threads (collect loop, OTLP and remote-write handlers) all commit to the one WAL. */
class CommitThreadsTest {
    @Test
    void commitsFromManyThreadsAreDurableAndReplayed(@TempDir Path dir) throws Exception {
        DbOptions opts = DbOptions.defaults(dir);
        Db db = Db.open(opts);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    Appender a = db.appender();
                    long ref = a.seriesRef(Labels.of("__name__", "m", "thread", "t" + thread));
                    for (int i = 0; i < 50; i++) {
                        a.append(ref, 1000L * i, i);
                        a.commit();
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
            db.closeWithoutSeal();
        }
        try (Db reopened = Db.open(opts); Querier q = reopened.querier(0, 100_000)) {
            var series = q.select(List.of(Matcher.eq("__name__", "m")));
            assertEquals(4, series.size());
            for (var s : series) {
                assertEquals(50, s.samples().size(), s.labels().toString());
            }
        }
    }
}
