package dev.sandglass.query.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Values;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SandboxViews that reuses its fleet-wide answers (a real store, which can tell when it changes)
 * answers exactly as one that reads the store every time: across writes, new sandboxes, staleness
 * markers, the passing of time (running to stopped) and narrower windows.
 */
class LatestCacheTest {
    static final long T = 1_800_000_000_000L;

    @TempDir
    Path tmp;

    private static void sample(Appender a, String name, String run, long t, double uptime, double mem) {
        Labels base = Labels.of("sandbox_name", name, "sandbox_id", name.substring(name.length() - 1));
        a.append(a.seriesRef(base.builder().set("__name__", SandboxField.UPTIME_SECONDS.metric()).build()), t, uptime);
        a.append(a.seriesRef(base.builder().set("__name__", SandboxField.MEMORY_BYTES.metric()).build()), t, mem);
        a.append(a.seriesRef(base.builder().set("__name__", SandboxField.RUN_INFO).set("run_id", run).set("pid", "9").build()), t, 1);
    }

    /** Everything an answer shows, as text: equal texts are equal answers. */
    private static String text(Map<String, SandboxStatus> m) {
        return m.values().stream().map(s -> s.name() + " " + s.state() + " " + s.lastSeenMs() + " run " + s.latest().runId()
                + " up " + s.latest().value(SandboxField.UPTIME_SECONDS) + " mem " + s.latest().value(SandboxField.MEMORY_BYTES)
                + " cpu " + s.latest().value(SandboxField.CPU_PERCENT)).collect(Collectors.joining("\n"));
    }

    private static void same(SandboxViews reused, Db db, Set<String> names, long now, long since) {
        String fresh = text(new SandboxViews(db).latest(names, now, since));
        assertEquals(fresh, text(reused.latest(names, now, since)), "at now " + (now - T) + " since " + since);
        assertEquals(fresh, text(reused.latest(names, now, since)), "asked again");
    }

    @Test
    void reusedAnswersAreTheAnswersReadFresh() {
        try (Db db = Db.open(DbOptions.defaults(tmp.resolve("data")))) {
            Appender a = db.appender();
            for (int s = 0; s < 10; s++) {
                sample(a, "sbx-a", "1", T + s * 1000L, s, 100 + s);
                sample(a, "sbx-b", "1", T + s * 1000L, s, 200 + s);
            }
            a.commit();
            SandboxViews views = new SandboxViews(db);
            long now = T + 9500;
            same(views, db, null, now, 900_000);
            assertEquals(2, views.fleet(now, 900_000).size());
            same(views, db, Set.of("sbx-a", "sbx-b"), now, 900_000);
            // A write: a new run of sbx-a, a new sandbox, sbx-b marked stale (stopped); new series
            // make the index answer with other series than the views mapped before.
            sample(a, "sbx-a", "2", T + 10_000, 0, 999);
            sample(a, "sbx-c", "4", T + 10_000, 1, 300);
            a.append(a.seriesRef(Labels.of("__name__", SandboxField.UPTIME_SECONDS.metric(), "sandbox_name", "sbx-b", "sandbox_id", "b")),
                    T + 10_000, Values.STALE_NAN);
            a.commit();
            now = T + 10_500;
            same(views, db, null, now, 900_000);
            Map<String, SandboxStatus> after = views.latest(null, now, 900_000);
            assertEquals(999, after.get("sbx-a").latest().value(SandboxField.MEMORY_BYTES), "the write is seen at once");
            assertEquals("2", after.get("sbx-a").latest().runId());
            assertEquals(List.of("sbx-a", "sbx-b", "sbx-c"), List.copyOf(after.keySet()));
            assertEquals("stopped", after.get("sbx-b").state());
            // Time passes without writes: running sandboxes become stopped, narrower windows drop them.
            same(views, db, null, now + 60_000, 900_000);
            same(views, db, null, now + SandboxViews.STOPPED_AFTER_MS + 1000, 900_000);
            assertEquals("stopped", views.latest(null, now + SandboxViews.STOPPED_AFTER_MS + 1000, 900_000).get("sbx-a").state());
            same(views, db, null, now + 60_000, 55_000);
            same(views, db, Set.of("sbx-a", "sbx-c"), now + 60_000, 55_000);
            assertEquals(0, views.latest(null, now + 60_000, 30_000).size(), "nothing seen in the last 30 s");
        }
    }
}
