package dev.sandglass.storage;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;

/**
 * The process SealKillTest kills in the middle of a seal: commits {@link #BATCHES} batches of
 * {@link #SERIES} series (value of series k at t: t * 0.5 + k), prints "sealing", seals (a large
 * head: long enough to be killed in), prints "sealed", then waits to be killed.
 */
public final class SealKillChild {
    static final int SERIES = 300;
    static final int BATCHES = 3_000;

    public static void main(String[] args) throws Exception {
        System.setProperty("chronicle.analytics.disable", "true");
        Db db = Db.open(DbOptions.defaults(java.nio.file.Path.of(args[0])).withRetention(Long.MAX_VALUE / 4, 0));
        Appender a = db.appender();
        long[] refs = new long[SERIES];
        for (int k = 0; k < SERIES; k++) {
            refs[k] = a.seriesRef(Labels.of("__name__", "seal", "k", Integer.toString(k)));
        }
        for (long t = 0; t < BATCHES; t++) {
            for (int k = 0; k < SERIES; k++) {
                a.append(refs[k], t * 1000, t * 0.5 + k);
            }
            a.commit();
        }
        System.out.println("sealing");
        System.out.flush();
        db.seal();
        System.out.println("sealed");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
