package dev.sandglass.storage.head;

import dev.sandglass.storage.api.Samples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unsealed samples per series, in time order with each timestamp once: a sample for a timestamp
 * already present replaces it (last write wins, as a retried collection or a re-import means a
 * correction). Not thread-safe: the Db guards it.
 *
 * <p>A series is one {@code long[]} holding time and raw value bits interleaved
 * ({@code t0 v0 t1 v1 ...}): appending one sample touches one cache line of it instead of one in
 * a time array and one in a value array, and a collection appends to thousands of series.
 */
public final class Head {
    static final int PAGE_BITS = 10;
    static final int PAGE = 1 << PAGE_BITS;

    private HeadPage[] pages = new HeadPage[1];
    private int pageCount;
    private long samples;
    private long minT = Long.MAX_VALUE;
    private long maxT = Long.MIN_VALUE;
    /** The room each series' array gets. */
    private final SeriesRoom room;
    /** Queriers holding this head: it may be cleared for reuse only when none does. */
    private final AtomicInteger readers = new AtomicInteger();
    /** The last committed batch, not yet filed into its series (see {@link #addPending}). */
    private final PendingBatch pending = new PendingBatch();
    /** Bytes of the series' own arrays (see {@link #bytes()}). */
    private long seriesBytes;

    public Head() {
        this(16);
    }

    /**
     * {@code capacityHint}: samples per series to expect before the next seal (the previous head's
     * longest run), so arrays are allocated once instead of doubling through the interval.
     */
    public Head(int capacityHint) {
        this.room = new SeriesRoom(capacityHint);
    }

    /**
     * A head after {@code previous}: each series' first array holds what that series got in
     * {@code previous} and a tenth more, so a series scraped every 15 s does not get the room of
     * one collected every second (series new since then get the default).
     */
    public static Head after(Head previous) {
        return new Head(previous);
    }

    private Head(Head previous) {
        int[][] runHints = new int[previous.pages.length][];
        for (int p = 0; p < previous.pages.length; p++) {
            if (previous.pages[p] != null) {
                runHints[p] = previous.pages[p].n.clone();
            }
        }
        this.room = new SeriesRoom(runHints);
    }

    /** The page of {@code ref}, or null when the head has none. */
    private HeadPage pageOf(int ref) {
        int p = ref >>> PAGE_BITS;
        return p < pages.length ? pages[p] : null;
    }

    private HeadPage pageFor(int ref) {
        int p = ref >>> PAGE_BITS;
        if (p >= pages.length) {
            pages = Arrays.copyOf(pages, Math.max(p + 1, pages.length * 2));
        }
        HeadPage pg = pages[p];
        if (pg == null) {
            pages[p] = pg = new HeadPage();
            pageCount++;
        }
        return pg;
    }

    public void add(int ref, long t, double v) {
        HeadPage pg = pageFor(ref);
        int slot = ref & (PAGE - 1);
        long[][] data = pg.data;
        long bits = Double.doubleToRawLongBits(v);
        long[] d = data[slot];
        if (d == null) {
            int cap = room.first(ref);
            data[slot] = d = new long[2 * cap];
            seriesBytes += arrayBytes(2 * cap);
        }
        int size = pg.n[slot];
        int end = 2 * size;
        if (size > 0 && d[end - 2] >= t) {
            int i = HeadPage.lowerBound(d, size, t);
            if (d[2 * i] == t) {
                d[2 * i + 1] = bits;
                if (i == size - 1) {
                    pg.lastBits[slot] = bits;
                }
                return;
            }
            insert(pg, slot, i, t, bits);
        } else {
            if (end == d.length) {
                long[] grown = Arrays.copyOf(d, 2 * room.next(ref, size, seriesBytes));
                seriesBytes += arrayBytes(grown.length) - arrayBytes(d.length);
                data[slot] = d = grown;
            }
            d[end] = t;
            d[end + 1] = bits;
            pg.n[slot] = size + 1;
            pg.lastT[slot] = t;
            pg.lastBits[slot] = bits;
        }
        samples++;
        minT = Math.min(minT, t);
        maxT = Math.max(maxT, t);
    }

    /**
     * Keeps a committed batch aside, to be filed into its series by {@link #fold()}: a sequential
     * copy, while filing touches a random cache line per sample. The Db folds between collections
     * and before anything reads the series; an earlier pending batch is folded first, so at most
     * one waits and the order of writes (last write wins) is kept.
     */
    public void addPending(int[] refs, long[] ts, double[] vs, int count) {
        fold();
        pending.keep(refs, ts, vs, count);
    }

    /**
     * Makes room for a pending batch of {@code count} samples. The Db calls it before the batch
     * goes to the WAL, so a heap too full for it fails the commit before it is durable (and the
     * caller retries) instead of leaving a durable batch out of the head. Keeps a waiting batch.
     */
    public void reservePending(int count) {
        pending.reserve(count);
    }

    /**
     * Heap this head holds, about: every series' array (kept through {@link #clear()}, which is
     * why a cleared head still counts), the per-series slots and the pending batch. What the
     * store weighs against its head budget.
     */
    public long bytes() {
        return seriesBytes + (long) pageCount * PAGE * 28 + (long) pending.capacity() * 20;
    }

    private static long arrayBytes(int longs) {
        return 16L + 8L * longs;
    }

    /**
     * Files the pending batch, if any, into its series. A failure part way (a full heap) leaves
     * the batch pending: filing it again is harmless, since a sample for a timestamp already
     * present replaces it.
     */
    public void fold() {
        PendingBatch b = pending;
        for (int i = 0; i < b.count; i++) {
            add(b.refs[i], b.ts[i], b.vs[i]);
        }
        b.clear();
    }

    /** Whether a batch waits to be folded; readable without the Db's lock. */
    public boolean hasPending() {
        return pending.waiting();
    }

    /**
     * Once the series' arrays hold {@code bytes}, a series' second sample grows its array to 4
     * samples without the stagger: under a head budget, thousands of series with a few samples
     * each must not reserve more than they hold. Returns this head.
     */
    public Head compactPast(long bytes) {
        room.compactPast(bytes);
        return this;
    }

    private void insert(HeadPage pg, int slot, int at, long t, long bits) {
        int size = pg.n[slot];
        long[] d = pg.data[slot];
        if (2 * size == d.length) {
            long[] grown = Arrays.copyOf(d, 2 * SeriesRoom.grown(size));
            seriesBytes += arrayBytes(grown.length) - arrayBytes(d.length);
            pg.data[slot] = d = grown;
        }
        System.arraycopy(d, 2 * at, d, 2 * at + 2, 2 * (size - at));
        d[2 * at] = t;
        d[2 * at + 1] = bits;
        pg.n[slot] = size + 1;
    }

    /**
     * Empties the head for reuse and keeps every series' array, so a recycled head fills without
     * allocating. Only for a head no querier holds ({@link #readers()} is 0).
     */
    public void clear() {
        if (readers.get() != 0) {
            throw new IllegalStateException("BUG: clearing a head " + readers.get() + " queriers still read");
        }
        for (HeadPage pg : pages) {
            if (pg != null) {
                Arrays.fill(pg.n, 0);
            }
        }
        pending.clear();
        samples = 0;
        minT = Long.MAX_VALUE;
        maxT = Long.MIN_VALUE;
    }

    /** A querier starts reading this head; it calls {@link #release()} when closed. */
    public void acquire() {
        readers.incrementAndGet();
    }

    public void release() {
        readers.decrementAndGet();
    }

    public int readers() {
        return readers.get();
    }

    /** The most samples any one series holds. */
    public int longestRun() {
        int max = 0;
        for (HeadPage pg : pages) {
            if (pg != null) {
                for (int size : pg.n) {
                    max = Math.max(max, size);
                }
            }
        }
        return max;
    }

    /** Samples series {@code ref}'s array has room for (0: none yet); for tests of sizing. */
    int capacity(int ref) {
        HeadPage pg = pageOf(ref);
        long[] d = pg != null ? pg.data[ref & (PAGE - 1)] : null;
        return d != null ? d.length / 2 : 0;
    }

    /** Samples filed into series (a pending batch counts once folded). */
    public long samples() {
        return samples;
    }

    public long minT() {
        return minT;
    }

    public long maxT() {
        return maxT;
    }

    public boolean isEmpty() {
        return samples == 0 && pending.count == 0;
    }

    /** Copies the filed samples of {@code ref} within [from, to] into {@code out} (fold first). */
    public void copy(int ref, long from, long to, Samples out) {
        HeadPage pg = pageOf(ref);
        if (pg != null) {
            pg.copy(ref & (PAGE - 1), from, to, out);
        }
    }

    /** Adds the last filed sample of {@code ref} within [from, to] to {@code out}; false when none. */
    public boolean copyLast(int ref, long from, long to, Samples out) {
        HeadPage pg = pageOf(ref);
        return pg != null && pg.copyLast(ref & (PAGE - 1), from, to, out);
    }

    /** One series as held: ref and its first {@code size} samples, time and value bits interleaved. */
    public record Run(int ref, long[] data, int size) {
        /** Splits the run into columns at {@code off} of {@code ts} and {@code vs}. */
        public void copyTo(long[] ts, double[] vs, int off) {
            for (int i = 0; i < size; i++) {
                ts[off + i] = data[2 * i];
                vs[off + i] = Double.longBitsToDouble(data[2 * i + 1]);
            }
        }
    }

    /** Every non-empty series, ascending by ref. */
    public List<Run> runs() {
        List<Run> out = new ArrayList<>();
        for (int p = 0; p < pages.length; p++) {
            HeadPage pg = pages[p];
            if (pg == null) {
                continue;
            }
            for (int slot = 0; slot < PAGE; slot++) {
                if (pg.n[slot] > 0) {
                    out.add(new Run((p << PAGE_BITS) + slot, pg.data[slot], pg.n[slot]));
                }
            }
        }
        return out;
    }
}
