package dev.sandglass.storage.rollup;

import java.util.HashMap;
import java.util.Map;

/**
 * Gathers the rollup windows of data being sealed (a seal's runs, an import's series, raw blocks
 * found without rollups at open) and writes them, one excerpt per resolution, after the raw blocks
 * they cover: each excerpt records the last raw block index it covers, so an open finds raw blocks
 * a crash left without rollups and rolls them up then. Windows cut by the edge of the data are
 * partial; readers merge the parts of a window exactly (see {@link Windows}). Single-threaded.
 */
public final class RollupWriter {
    /** The resolutions written: 5 minutes and 1 hour, aligned to the clock (UTC). */
    public static final long[] RESOLUTIONS_MS = {5 * 60_000L, 3_600_000L};

    private final Map<Integer, Windows>[] byRes;
    private long entries;

    @SuppressWarnings("unchecked")
    public RollupWriter() {
        byRes = new Map[RESOLUTIONS_MS.length];
        for (int r = 0; r < byRes.length; r++) {
            byRes[r] = new HashMap<>();
        }
    }

    /** Adds one series' samples, in time order and later than any added before for it. */
    public void add(int ref, long[] t, double[] v, int off, int n) {
        for (int r = 0; r < RESOLUTIONS_MS.length; r++) {
            long res = RESOLUTIONS_MS[r];
            // Sized to the windows these samples span: a million one-sample series (churn) must
            // not reserve eight windows of ten columns each.
            Windows w = byRes[r].get(ref);
            int spans = n == 0 ? 0 : (int) Math.min(1 << 20, (Windows.windowOf(t[off + n - 1], res) - Windows.windowOf(t[off], res)) / res + 1);
            if (w == null) {
                w = new Windows(res, spans);
                byRes[r].put(ref, w);
            } else {
                w.reserve(spans);
            }
            int before = w.size;
            w.addAll(t, v, off, n);
            entries += w.size - before;
        }
    }

    /** Series gathered since the last flush (at one resolution; each has its windows at every one). */
    public int series() {
        return byRes[0].size();
    }

    /** Windows gathered since the last flush. */
    public long entries() {
        return entries;
    }

    /** Writes what was gathered (nothing when empty) as covering the raw blocks [rawFrom, rawIndex]. */
    public void flush(RollupStore store, long rawFrom, long rawIndex) {
        for (int r = 0; r < RESOLUTIONS_MS.length; r++) {
            if (!byRes[r].isEmpty()) {
                byte[] excerpt = RollupCodec.encode(RESOLUTIONS_MS[r], byRes[r], rawFrom, rawIndex);
                if (excerpt != null) {
                    store.append(excerpt);
                }
                byRes[r].clear();
            }
        }
        entries = 0;
    }
}
