package dev.sandglass.storage;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.head.Head;
import dev.sandglass.storage.index.SeriesIndex;
import dev.sandglass.storage.segment.Block;
import dev.sandglass.storage.segment.BlockHeader;
import dev.sandglass.storage.segment.SegmentStore;
import dev.sandglass.storage.util.Parallel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads [minT, maxT] of the store: sealed blocks that overlap it (decoded lazily, one value frame
 * per metric) and then the head, merged per series in write order so that a later write of a
 * timestamp wins. Not thread-safe; close it to release its block reader.
 */
final class DbQuerier implements Querier {
    private final Db db;
    private final long minT;
    private final long maxT;
    private final List<BlockHeader> blocks = new ArrayList<>();
    private final SegmentStore.Reader reader;
    private final Map<Long, Block> cache = new HashMap<>();

    /** The head and the head being sealed when this querier was made (see the constructor). */
    private final Head head;
    private final Head sealing;
    private final RollupSelect rollups;
    private final SeriesMerge merge;
    private final long changes;
    private long newestT = Long.MIN_VALUE;
    private boolean closed;

    DbQuerier(Db db, long minT, long maxT) {
        this.db = db;
        this.minT = minT;
        this.maxT = maxT;
        db.foldPending();
        // Blocks and heads are taken together under the lock: a seal appends its block before it
        // lets go of the sealing head, so every sample is in one of the three we hold.
        db.lock().readLock().lock();
        try {
            for (BlockHeader h : db.segments().directory()) {
                newestT = Math.max(newestT, h.maxT());
                if (h.maxT() >= minT && h.minT() <= maxT) {
                    blocks.add(h);
                }
            }
            head = db.head();
            sealing = db.sealingHead();
            long[] readable = db.readableIndexes();
            rollups = new RollupSelect(db, head, sealing, readable[1], readable[0]);
            newestT = Math.max(newestT, Math.max(head.maxT(), sealing == null ? Long.MIN_VALUE : sealing.maxT()));
            // A batch committed since foldPending() is counted but not yet readable: no stamp then.
            changes = head.hasPending() ? -1 : db.changes();
            // Held until close: a seal must not clear and reuse a head this querier may still read.
            head.acquire();
            if (sealing != null) {
                sealing.acquire();
            }
        } finally {
            db.lock().readLock().unlock();
        }
        blocks.sort((a, b) -> Long.compare(a.index(), b.index()));
        this.merge = new SeriesMerge(db.lock(), blocks, head, sealing, minT, maxT);
        this.reader = db.segments().reader();
    }

    @Override
    public long changes() {
        return changes;
    }

    @Override
    public long newestTimestamp() {
        return newestT;
    }

    @Override
    public List<Series> select(List<Matcher> matchers) {
        List<Series> lazy = selectLazily(matchers);
        Samples[] samples = new Samples[lazy.size()];
        Parallel.forEach(samples.length, i -> samples[i] = lazy.get(i).samples());
        List<Series> out = new ArrayList<>();
        for (int i = 0; i < samples.length; i++) {
            if (samples[i].size() > 0) {
                out.add(Series.of(lazy.get(i).labels(), samples[i]));
            }
        }
        return out;
    }

    @Override
    public List<Series> selectLazily(List<Matcher> matchers) {
        checkOpen();
        SeriesIndex.Selection sel = db.index().selection(matchers);
        int[] refs = sel.refs();
        // Blocks are read here, on this thread (the segment reader is single-threaded), and
        // their shared sections decompressed and decoded, one block per core. Each series'
        // values are decoded later, when asked for, on the thread that asks.
        List<BlockHeader> neededHeaders = new ArrayList<>();
        long hits = 0;
        long sparseBound = (long) StreamedBlocks.SPARSE_HITS_PER_SERIES * refs.length;
        for (BlockHeader h : blocks) {
            int found = 0;
            for (int ref : refs) {
                if (h.has(ref)) {
                    found++;
                    if (hits + found > sparseBound) {
                        break; // dense: no need to count further
                    }
                }
            }
            if (found > 0) {
                neededHeaders.add(h);
                hits += found;
            }
        }
        if (StreamedBlocks.worthIt(neededHeaders.size(), hits, refs.length)) {
            java.util.Map<Integer, StreamedBlocks.Part> parts = StreamedBlocks.read(neededHeaders, reader, refs, minT, maxT);
            if (parts != null) {
                List<Series> out = new ArrayList<>(refs.length);
                for (int i = 0; i < sel.byLabels().length; i++) {
                    out.add(new StoredSeries(sel.labels()[i], sel.byLabels()[i], NO_BLOCKS, parts.get(sel.byLabels()[i])));
                }
                return out;
            }
        }
        List<Block> needed = new ArrayList<>();
        for (BlockHeader h : neededHeaders) {
            needed.add(block(h, refs));
        }
        Parallel.forEach(needed.size(), i -> needed.get(i).prepare(refs));
        // In write order, null where no block was read: none of them holds any of refs.
        Block[] loaded = new Block[blocks.size()];
        for (int k = 0; k < loaded.length; k++) {
            loaded[k] = cache.get(blocks.get(k).index());
        }
        // In label order already (the index keeps its selections sorted).
        List<Series> out = new ArrayList<>(refs.length);
        for (int i = 0; i < sel.byLabels().length; i++) {
            out.add(new StoredSeries(sel.labels()[i], sel.byLabels()[i], loaded, null));
        }
        return out;
    }

    /** Blocks this querier keeps until it closes (tests: a streamed selection keeps none). */
    int blocksHeld() {
        return cache.size();
    }

    private void checkOpen() {
        if (closed) {
            // Its heads may have been recycled since: reading them would show newer samples as old.
            throw new StorageException("read from a closed querier");
        }
    }

    /** A selected series whose samples are decoded on demand. */
    private final class StoredSeries implements Series {
        private final Labels labels;
        private final int ref;
        private final Block[] loaded;
        /** Its samples from the blocks, when they were read one at a time ({@link StreamedBlocks}); else null. */
        private final StreamedBlocks.Part part;

        /** The querier that selected it: only its own series are read in {@link #lastOfEach}. */
        DbQuerier owner() {
            return DbQuerier.this;
        }

        StoredSeries(Labels labels, int ref, Block[] loaded, StreamedBlocks.Part part) {
            this.labels = labels;
            this.ref = ref;
            this.loaded = loaded;
            this.part = part;
        }

        @Override
        public Labels labels() {
            return labels;
        }

        @Override
        public Samples samples() {
            return samples(null);
        }

        @Override
        public Samples samples(Samples reuse) {
            checkOpen();
            return merge.samples(ref, loaded, part, reuse);
        }

        @Override
        public boolean last(Samples out) {
            checkOpen();
            return merge.last(ref, loaded, part, out) || Series.super.last(out);
        }
    }

    /** Reads the heads of up to {@link #LAST_BATCH} series under one hold of the lock; the rest as {@link Series#last}. */
    @Override
    public void lastOfEach(List<Series> series, Samples[] out) {
        checkOpen();
        boolean[] done = new boolean[series.size()];
        for (int from = 0; from < series.size(); from += LAST_BATCH) {
            int to = Math.min(series.size(), from + LAST_BATCH);
            db.lock().readLock().lock();
            try {
                for (int i = from; i < to; i++) {
                    if (series.get(i) instanceof StoredSeries s && s.owner() == this) {
                        done[i] = merge.lastLocked(s.ref, s.loaded, s.part, out[i]);
                    }
                }
            } finally {
                db.lock().readLock().unlock();
            }
        }
        for (int i = 0; i < done.length; i++) {
            if (!done[i]) {
                series.get(i).last(out[i]);
            }
        }
    }

    private static final Block[] NO_BLOCKS = new Block[0];

    /** Series per hold of the lock in {@link #lastOfEach}: a writer waits for at most this many head lookups. */
    private static final int LAST_BATCH = 256;

    /** The block, with what reading {@code refs} needs (an earlier select of this querier may have read it for others). */
    private Block block(BlockHeader h, int[] refs) {
        Block b = reader.read(h, refs);
        cache.put(h.index(), b);
        return b;
    }

    @Override
    public List<dev.sandglass.storage.api.RollupSeries> selectRollups(List<Matcher> matchers, long resolutionMs, long minT, long maxT) {
        checkOpen();
        return rollups.select(matchers, resolutionMs, minT, maxT);
    }

    @Override
    public long rawStartMs() {
        checkOpen();
        return rollups.rawStartMs();
    }

    @Override
    public List<String> labelNames(List<Matcher> matchers) {
        return LabelLookup.names(db.index(), matchers, this);
    }

    @Override
    public List<String> labelValues(String name, List<Matcher> matchers) {
        return LabelLookup.values(db.index(), name, matchers, this);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        head.release();
        if (sealing != null) {
            sealing.release();
        }
        reader.close();
        cache.clear();
    }
}
