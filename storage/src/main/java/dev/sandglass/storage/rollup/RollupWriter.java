package dev.sandglass.storage.rollup;

import dev.sandglass.storage.api.StorageException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers the rollup windows of data being sealed (a seal's runs, an import's series, raw blocks
 * found without rollups at open) and writes them, per resolution, after the raw blocks
 * they cover: each excerpt records the raw blocks it covers, so an open finds raw blocks a crash
 * left without rollups and rolls them up then. Many series take several excerpts (see flush).
 * Windows cut by the edge of the data are partial; readers merge the parts of a window exactly (see {@link Windows}). Single-threaded.
 */
public final class RollupWriter {
    /** The resolutions written: 5 minutes and 1 hour, aligned to the clock (UTC). */
    public static final long[] RESOLUTIONS_MS = {5 * 60_000L, 3_600_000L};

    private static final long[] NONE = new long[0];

    private final Map<Integer, Windows>[] byRes;
    private final int maxExcerptBytes;
    private long entries;
    /** The time range of every sample of the write, rolled up or not (see {@link #span}). */
    private long spanMinT = Long.MAX_VALUE;
    private long spanMaxT = Long.MIN_VALUE;
    /** Tests: excerpts appended so far, and after how many the next append fails instead. */
    int partsWritten;
    int stopAfterParts = Integer.MAX_VALUE;

    public RollupWriter() {
        this(RollupStore.MAX_EXCERPT_BYTES);
    }

    /** A writer whose excerpts stay under {@code maxExcerptBytes} (the queue's limit; smaller in tests). */
    @SuppressWarnings("unchecked")
    public RollupWriter(int maxExcerptBytes) {
        if (maxExcerptBytes < 1024 || maxExcerptBytes > RollupStore.MAX_EXCERPT_BYTES) {
            throw new IllegalArgumentException("excerpt limit " + maxExcerptBytes);
        }
        this.maxExcerptBytes = maxExcerptBytes;
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

    /**
     * Notes samples over [minT, maxT] the raw blocks of this write hold but the rollups get no more
     * (written before: see Db's SealedDuplicates), so that a write whose every sample was written
     * before still records its raw blocks as covered, in an excerpt of no series.
     */
    public void span(long minT, long maxT) {
        spanMinT = Math.min(spanMinT, minT);
        spanMaxT = Math.max(spanMaxT, maxT);
    }

    /** Series gathered since the last flush (at one resolution; each has its windows at every one). */
    public int series() {
        return byRes[0].size();
    }

    /** Windows gathered since the last flush. */
    public long entries() {
        return entries;
    }

    /**
     * Writes what was gathered (nothing when empty) as covering the raw blocks [rawFrom, rawIndex]:
     * per resolution, series by series in ref order, in as many excerpts as it takes to keep each
     * under the queue's limit (a series too big for one is cut between windows). Every part but the
     * last is marked continued, and the last lists them (commits): until it is written, no reader
     * counts them, nor their coverage, so a crash or a failure midway leaves the raw blocks
     * uncovered (the next open rolls them up again) and never half of their rollups counted.
     */
    public void flush(RollupStore store, long rawFrom, long rawIndex) {
        try {
            List<Long> parts = new ArrayList<>();
            ExcerptBuilder held = null;
            for (int r = 0; r < RESOLUTIONS_MS.length; r++) {
                ExcerptBuilder b = new ExcerptBuilder(RESOLUTIONS_MS[r]);
                int[] refs = byRes[r].keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
                for (int ref : refs) {
                    Windows w = byRes[r].get(ref).inWindowOrder();
                    int a = 0;
                    while (a < w.size) {
                        // Room left in this part, keeping space for the commits a last part carries.
                        long room = maxExcerptBytes - 8L * (parts.size() + 2) - b.bytes();
                        int end = w.size;
                        int adds = b.encode(ref, w, a, end);
                        while (adds > room && end - a > 1 && b.series() == 0) {
                            // Alone in a part and still too big: fewer windows, in proportion.
                            end = a + Math.max(1, (int) ((end - a) * Math.max(0, room - 64) / 2 / adds));
                            adds = b.encode(ref, w, a, end);
                        }
                        if (adds > room && b.series() > 0) {
                            held = written(store, held, parts, rawFrom, rawIndex);
                            parts.add(append(store, b.finish(rawFrom, rawIndex, NONE, true, NONE)));
                            continue; // the same windows again, into the next part
                        }
                        if (adds > room) {
                            throw new StorageException("one rollup window of series " + ref + " takes " + adds
                                    + " bytes, over the limit of " + maxExcerptBytes);
                        }
                        b.take();
                        a = end;
                    }
                }
                if (b.series() > 0) {
                    written(store, held, parts, rawFrom, rawIndex);
                    held = b;
                }
            }
            if (held != null) {
                long[] commits = new long[parts.size()];
                for (int k = 0; k < commits.length; k++) {
                    commits[k] = parts.get(k);
                }
                append(store, held.finish(rawFrom, rawIndex, NONE, false, commits));
            } else if (rawFrom >= 0 && spanMinT <= spanMaxT) {
                // Raw blocks whose samples were all rolled up before: covered all the same, or every
                // open would roll them up again (and count them twice).
                append(store, new ExcerptBuilder(RESOLUTIONS_MS[0]).finishEmpty(rawFrom, rawIndex, spanMinT, spanMaxT));
            }
        } finally {
            for (Map<Integer, Windows> m : byRes) {
                m.clear();
            }
            entries = 0;
            spanMinT = Long.MAX_VALUE;
            spanMaxT = Long.MIN_VALUE;
        }
    }

    /** Appends the part held back (when any) as continued: another part follows it; returns null. */
    private ExcerptBuilder written(RollupStore store, ExcerptBuilder held, List<Long> parts, long rawFrom, long rawIndex) {
        if (held != null) {
            parts.add(append(store, held.finish(rawFrom, rawIndex, NONE, true, NONE)));
        }
        return null;
    }

    private long append(RollupStore store, byte[] excerpt) {
        partsWritten++;
        if (partsWritten > stopAfterParts) {
            throw new StorageException("stopped after " + stopAfterParts + " rollup excerpts (a simulated crash)");
        }
        return store.append(excerpt).index();
    }
}
