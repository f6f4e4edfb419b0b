package dev.sandglass.storage;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens a (damaged) store the way serve does, without -ea (Chronicle asserts on files it finds
 * torn, and production runs without assertions): prints what it serves, "series N samples M wrong
 * W", with W values that are not what DamagedFilesTest wrote; then commits one more batch
 * (ingest resumes), closes, reopens and prints "after N samples M wrong W".
 */
public final class DamageChild {
    public static void main(String[] args) {
        System.setProperty("chronicle.analytics.disable", "true");
        for (String dir : args) {
            // Markers on both streams: the test splits each into one part per store.
            System.out.println("=== " + dir);
            System.err.println("=== " + dir);
            try {
                openAndWrite(Path.of(dir));
            } catch (RuntimeException e) {
                System.out.println("failed " + e);
            }
            System.out.flush();
            System.err.flush();
        }
        System.exit(0);
    }

    private static void openAndWrite(Path dir) {
        DbOptions opts = DbOptions.defaults(dir).withRetention(Long.MAX_VALUE / 4, 0);
        try (Db db = Db.open(opts)) {
            System.out.println("series " + report(db));
            Appender a = db.appender();
            for (int k = 0; k < DamagedFilesTest.SERIES; k++) {
                a.append(a.seriesRef(DamagedFilesTest.labels(k)), 1000L * DamagedFilesTest.BATCHES, DamagedFilesTest.BATCHES + k);
            }
            a.commit();
        }
        try (Db db = Db.open(opts)) {
            System.out.println("after " + report(db));
        }
    }

    private static String report(Db db) {
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Series> all = q.select(List.of(Matcher.eq("__name__", "d")));
            long n = 0;
            long wrong = 0;
            for (Series s : all) {
                int k = Integer.parseInt(s.labels().get("k"));
                Samples sm = s.samples();
                n += sm.size();
                for (int i = 0; i < sm.size(); i++) {
                    if (sm.timestamp(i) % 1000 != 0 || sm.value(i) != sm.timestamp(i) / 1000 + k) {
                        wrong++;
                    }
                }
            }
            return all.size() + " samples " + n + " wrong " + wrong;
        } catch (RuntimeException e) {
            // One retry: a block that fails its checksum fails the first read, then is left out.
            try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                return q.select(List.of(Matcher.eq("__name__", "d"))).size() + " first read failed: " + e.getMessage();
            }
        }
    }

}
