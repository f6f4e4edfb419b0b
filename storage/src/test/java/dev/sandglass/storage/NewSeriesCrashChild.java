package dev.sandglass.storage;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;

/**
 * The process NewSeriesCrashTest kills: every batch b adds {@link #PER_BATCH} new series
 * {@code churn{b="b",i="i"}}, each with one sample at t = b of value b * 1000 + i, commits, prints
 * "committed b", and fills the index's map (prepareNext), so a kill lands anywhere: between new refs
 * and their commit, inside the one write of a batch's series, inside a map growth.
 */
public final class NewSeriesCrashChild {
    static final int PER_BATCH = 100;

    public static void main(String[] args) {
        System.setProperty("chronicle.analytics.disable", "true");
        long b = Long.parseLong(args[1]);
        Db db = Db.open(DbOptions.defaults(java.nio.file.Path.of(args[0])).withRetention(Long.MAX_VALUE / 4, 0));
        Appender a = db.appender();
        System.out.println("ready");
        System.out.flush();
        for (;; b++) {
            for (int i = 0; i < PER_BATCH; i++) {
                long ref = a.seriesRef(Labels.of("__name__", "churn", "b", Long.toString(b), "i", Integer.toString(i)));
                a.append(ref, b, b * 1000.0 + i);
            }
            a.commit();
            System.out.println("committed " + b);
            System.out.flush();
            a.prepareNext();
        }
    }
}
