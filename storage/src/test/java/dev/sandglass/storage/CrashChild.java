package dev.sandglass.storage;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;

/**
 * The process CrashTest kills: appends a batch of 50 series at timestamp t, commits, prints
 * "committed t", pre-faults the WAL for the next batch as the collect loop does (so a kill may land
 * inside a pre-fault), repeats, sealing now and then; until SIGKILL. Value of series k at t: t * 0.5 + k.
 */
public final class CrashChild {
    static final int SERIES = 50;

    public static void main(String[] args) {
        System.setProperty("chronicle.analytics.disable", "true");
        long t = Long.parseLong(args[1]);
        Db db = Db.open(DbOptions.defaults(java.nio.file.Path.of(args[0])).withRetention(Long.MAX_VALUE / 4, 0));
        Appender a = db.appender();
        long[] refs = new long[SERIES];
        for (int k = 0; k < SERIES; k++) {
            refs[k] = a.seriesRef(Labels.of("__name__", "crash", "k", Integer.toString(k)));
        }
        System.out.println("ready");
        System.out.flush();
        for (int batch = 0; ; batch++, t++) {
            for (int k = 0; k < SERIES; k++) {
                a.append(refs[k], t, t * 0.5 + k);
            }
            a.commit();
            System.out.println("committed " + t);
            System.out.flush();
            a.prepareNext();
            if (batch % 500 == 499) {
                db.seal();
            }
        }
    }
}
