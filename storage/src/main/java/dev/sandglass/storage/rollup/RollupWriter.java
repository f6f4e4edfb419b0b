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
    /**
     * Series already encoded, per resolution, in excerpt parts not yet written (the last one
     * filling): a streaming writer ({@link #streaming}) encodes each series as it is added, a
     * gathering one at {@link #flush}.
     */
    private final List<ExcerptBuilder>[] built;
    /**
     * Parts before the one filling, over all resolutions: each adds to the last part's commits.
     * A resolution's last part counts from when the next resolution's first part fills
     * ({@code heldPart}), as when parts were appended while filling: the same split points.
     */
    private int fullParts;
    private boolean heldPart;
    /**
     * Streaming, every resolution's parts fill at once, so a part cannot know how many parts of
     * lower resolutions will come before it: each keeps room for this many commits more (512
     * bytes of a 4 MB part; a seal of a million series takes a few dozen parts).
     */
    private static final int STREAMING_SPARE_COMMITS = 64;
    private final boolean streaming;
    /**
     * Streaming to a store: each part is appended (as continued: uncounted until the last part
     * commits it) the moment it is full, and its builder reused, so the writer holds one part per
     * resolution instead of all of them (~20 MB for a seal of 100,000 scraped series, grown by
     * doubling 64 KB buffers into 4 MB ones, then copied once more by each part's finish). Such
     * parts cover no raw blocks (-1, -1): the last part covers the write's, as it commits them.
     */
    private RollupStore early;
    private final List<Long> earlyParts = new ArrayList<>();
    /** An early part that could not be appended: the write writes no rollups (see {@link #flush}). */
    private RuntimeException earlyFailure;
    /** Streaming: the last ref added, and series added. */
    private int lastRef = -1;
    private int streamed;
    private final Windows[] scratch;
    private final int maxExcerptBytes;
    private long entries;
    /** The time range of every sample of the write, rolled up or not (see {@link #span}). */
    private long spanMinT = Long.MAX_VALUE;
    private long spanMaxT = Long.MIN_VALUE;
    /** Tests: excerpts appended so far, and after how many the next append fails instead. */
    int partsWritten;
    int stopAfterParts = Integer.MAX_VALUE;

    public RollupWriter() {
        this(RollupStore.MAX_EXCERPT_BYTES, false);
    }

    /** A writer whose excerpts stay under {@code maxExcerptBytes} (the queue's limit; smaller in tests). */
    public RollupWriter(int maxExcerptBytes) {
        this(maxExcerptBytes, false);
    }

    /**
     * A writer for series added once each, in ascending ref order (a seal's runs): each is
     * encoded when added, so it holds their encoded windows (tens of bytes a series) instead of
     * a {@link Windows} of ten columns per series and resolution until the flush (~0.9 KB a
     * series, 90 MB of heap for a seal of 100,000 scraped series).
     */
    public static RollupWriter streaming() {
        return new RollupWriter(RollupStore.MAX_EXCERPT_BYTES, true);
    }

    /**
     * A streaming writer that appends each full part to {@code store} at once (see {@link #early});
     * {@link #flush} must then be given the same store.
     */
    public static RollupWriter streaming(RollupStore store) {
        return streamingTo(store, RollupStore.MAX_EXCERPT_BYTES);
    }

    static RollupWriter streamingTo(RollupStore store, int maxExcerptBytes) {
        RollupWriter w = new RollupWriter(maxExcerptBytes, true);
        w.early = store;
        return w;
    }

    @SuppressWarnings("unchecked")
    RollupWriter(int maxExcerptBytes, boolean streaming) {
        if (maxExcerptBytes < 1024 || maxExcerptBytes > RollupStore.MAX_EXCERPT_BYTES) {
            throw new IllegalArgumentException("excerpt limit " + maxExcerptBytes);
        }
        this.maxExcerptBytes = maxExcerptBytes;
        this.streaming = streaming;
        byRes = new Map[RESOLUTIONS_MS.length];
        built = new List[RESOLUTIONS_MS.length];
        scratch = new Windows[RESOLUTIONS_MS.length];
        for (int r = 0; r < byRes.length; r++) {
            byRes[r] = new HashMap<>();
            built[r] = new ArrayList<>();
        }
    }

    /** Adds one series' samples, in time order and later than any added before for it (streaming: each series once, ascending). */
    public void add(int ref, long[] t, double[] v, int off, int n) {
        if (streaming) {
            addEncoded(ref, t, v, off, n);
            return;
        }
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

    private void addEncoded(int ref, long[] t, double[] v, int off, int n) {
        if (ref <= lastRef) {
            throw new IllegalStateException("BUG: a streaming rollup writer got series " + ref + " after " + lastRef);
        }
        lastRef = ref;
        streamed++;
        if (earlyFailure != null) {
            return;
        }
        for (int r = 0; r < RESOLUTIONS_MS.length; r++) {
            long res = RESOLUTIONS_MS[r];
            int spans = n == 0 ? 0 : (int) Math.min(1 << 20, (Windows.windowOf(t[off + n - 1], res) - Windows.windowOf(t[off], res)) / res + 1);
            Windows w = scratch[r];
            if (w == null || w.size > 64) {
                w = scratch[r] = new Windows(res, Math.max(spans, 4)); // a long series' columns are not kept
            }
            w.size = 0;
            w.reserve(spans);
            w.addAll(t, v, off, n);
            entries += w.size;
            place(r, ref, w.inWindowOrder());
        }
    }

    /**
     * Encodes the windows of series {@code ref} (greater than any placed before at resolution
     * {@code r}) into the resolution's last part, starting another part whenever one would pass
     * the queue's limit (a series too big for one part is cut between windows).
     */
    private void place(int r, int ref, Windows w) {
        List<ExcerptBuilder> parts = built[r];
        if (parts.isEmpty()) {
            parts.add(new ExcerptBuilder(RESOLUTIONS_MS[r]));
        }
        ExcerptBuilder b = parts.get(parts.size() - 1);
        int a = 0;
        while (a < w.size) {
            // Room left in this part, keeping space for the commits a last part carries.
            long room = maxExcerptBytes - 8L * (fullParts + 2 + (streaming ? STREAMING_SPARE_COMMITS : 0)) - b.bytes();
            int end = w.size;
            int adds = b.encode(ref, w, a, end);
            while (adds > room && end - a > 1 && b.series() == 0) {
                // Alone in a part and still too big: fewer windows, in proportion.
                end = a + Math.max(1, (int) ((end - a) * Math.max(0, room - 64) / 2 / adds));
                adds = b.encode(ref, w, a, end);
            }
            if (adds > room && b.series() > 0) {
                fullParts += heldPart ? 2 : 1;
                heldPart = false;
                if (early != null) {
                    try {
                        earlyParts.add(append(early, b.finish(-1, -1, NONE, true, NONE))); // empties b for the next part
                    } catch (RuntimeException e) {
                        earlyFailure = e;
                        return;
                    }
                } else {
                    b = new ExcerptBuilder(RESOLUTIONS_MS[r]);
                    parts.add(b);
                }
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
        return streaming ? streamed : byRes[0].size();
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
            if (earlyFailure != null) {
                throw new StorageException("a part of these rollups could not be written: " + earlyFailure.getMessage());
            }
            if (early != null && early != store) {
                throw new IllegalStateException("BUG: rollups streamed to one store and flushed to another");
            }
            for (int r = 0; r < RESOLUTIONS_MS.length; r++) {
                int[] refs = byRes[r].keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
                for (int ref : refs) {
                    place(r, ref, byRes[r].get(ref).inWindowOrder());
                }
                byRes[r].clear();
                heldPart |= !built[r].isEmpty() && built[r].get(built[r].size() - 1).series() > 0;
            }
            List<ExcerptBuilder> all = new ArrayList<>();
            for (List<ExcerptBuilder> parts : built) {
                for (ExcerptBuilder b : parts) {
                    if (b.series() > 0) {
                        all.add(b);
                    }
                }
            }
            if (all.isEmpty() && !earlyParts.isEmpty()) {
                throw new IllegalStateException("BUG: " + earlyParts.size() + " rollup parts appended and none left to commit them");
            }
            if (!all.isEmpty()) {
                int before = earlyParts.size();
                long[] commits = new long[before + all.size() - 1];
                ExcerptBuilder last = all.get(all.size() - 1);
                if (last.bytes() + 8L * commits.length > maxExcerptBytes) {
                    throw new StorageException("the rollups of this write take " + (before + all.size())
                            + " parts, more than its last part has room to list");
                }
                for (int k = 0; k < before; k++) {
                    commits[k] = earlyParts.get(k);
                }
                for (int k = 0; k < all.size() - 1; k++) {
                    commits[before + k] = append(store, all.get(k).finish(rawFrom, rawIndex, NONE, true, NONE));
                }
                append(store, last.finish(rawFrom, rawIndex, NONE, false, commits));
            } else if (rawFrom >= 0 && spanMinT <= spanMaxT) {
                // Raw blocks whose samples were all rolled up before: covered all the same, or every
                // open would roll them up again (and count them twice).
                append(store, new ExcerptBuilder(RESOLUTIONS_MS[0]).finishEmpty(rawFrom, rawIndex, spanMinT, spanMaxT));
            }
        } finally {
            for (int r = 0; r < RESOLUTIONS_MS.length; r++) {
                byRes[r].clear();
                built[r].clear();
            }
            fullParts = 0;
            heldPart = false;
            earlyParts.clear();
            earlyFailure = null;
            lastRef = -1;
            streamed = 0;
            entries = 0;
            spanMinT = Long.MAX_VALUE;
            spanMaxT = Long.MIN_VALUE;
        }
    }

    private long append(RollupStore store, byte[] excerpt) {
        partsWritten++;
        if (partsWritten > stopAfterParts) {
            throw new StorageException("stopped after " + stopAfterParts + " rollup excerpts (a simulated crash)");
        }
        return store.append(excerpt).index();
    }
}
