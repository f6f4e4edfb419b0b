package dev.sandglass.storage;

import dev.sandglass.storage.api.DiskFullException;
import dev.sandglass.storage.head.Head;
import dev.sandglass.storage.segment.BlockSizer;
import dev.sandglass.storage.segment.BlockWriter;
import dev.sandglass.storage.segment.FittingBlocks;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;

/**
 * Seals the head into raw blocks and their rollups: swaps in an empty head under the lock,
 * encodes the old one outside it, appends the blocks with the WAL checkpoint, then drops the WAL
 * cycles sealed (unless a reader still needs them). Holds the seal lock, which every writer of
 * raw blocks takes, and what the seal keeps between runs.
 */
final class SealJob {
    /** Samples per sealed block, about: bounds a block's decode and the seal's column buffers. */
    static final int BLOCK_SAMPLES = 2_000_000;

    private final Db db;
    private final Heads heads;
    /** Serializes writers of raw blocks with their rollups: excerpts must cover raw blocks in order. */
    private final Object sealLock = new Object();
    /** Samples per seal batch, so each block fits an excerpt at the first encoding. */
    private final BlockSizer blockSizer = new BlockSizer();
    /** Keeps samples written twice out of the rollups; used under the seal lock. */
    private final SealedDuplicates duplicates;
    /** While a seal runs, the last raw block and rollup excerpt from before it; under the heads' lock. */
    private long sealBaseRaw = -1;
    private long sealBaseRollup = -1;
    /** Readers of the WAL (remote-write senders): the lowest index each still needs. */
    private final List<LongSupplier> walHolds = new CopyOnWriteArrayList<>();

    SealJob(Db db, Heads heads) {
        this.db = db;
        this.heads = heads;
        this.duplicates = new SealedDuplicates(db.segments());
    }

    Object sealLock() {
        return sealLock;
    }

    /** Under the seal lock: the series as their rollups should count them (see SealedDuplicates). */
    List<BlockWriter.SeriesData> withoutSealed(List<BlockWriter.SeriesData> series) {
        return duplicates.withoutSealed(series, db.lastRawIndex());
    }

    /**
     * The last raw block and rollup excerpt indexes a reader made now may use: while a seal runs,
     * those from before it, since the head being sealed is read instead. Call under the lock.
     */
    long[] readableIndexes() {
        return heads.sealing() != null ? new long[] {sealBaseRaw, sealBaseRollup} : new long[] {db.lastRawIndex(), db.rollups().lastIndex()};
    }

    void seal() {
        synchronized (sealLock) {
            sealUnsealed();
            long checkpoint;
            Head old;
            ReentrantReadWriteLock lock = heads.lock();
            lock.writeLock().lock();
            try {
                heads.head().fold();
                if (heads.head().isEmpty()) {
                    return;
                }
                sealBaseRaw = db.lastRawIndex();
                sealBaseRollup = db.rollups().lastIndex();
                old = heads.startSeal();
                db.changed();
                checkpoint = db.wal().lastIndex();
            } finally {
                lock.writeLock().unlock();
            }
            try {
                writeBlocks(old.runs(), checkpoint);
            } catch (RuntimeException | Error e) {
                // Nothing of old was appended (writeBlocks checks space for all its blocks first) or
                // the WAL still holds it: put its samples back in front of the head, to seal later.
                try {
                    heads.restore(old);
                } catch (OutOfMemoryError oom) {
                    heads.keepUnsealed(old, checkpoint);
                }
                if (e instanceof DiskFullException df) {
                    db.health().diskFull(df, "seal");
                } else {
                    db.health().failed("seal");
                }
                throw e;
            }
            lock.writeLock().lock();
            try {
                // The sealed head's arrays go: kept as a spare for the next head (as before), they
                // doubled the heap the head holds in steady state (160 of 206 MB live when scraping
                // 100,000 series) to save one allocation per series every seal.
                heads.sealed();
            } finally {
                lock.writeLock().unlock();
            }
            db.wal().dropBefore(walKeepFrom(checkpoint, System.currentTimeMillis()));
        }
    }

    /** Seals the head a failed seal left behind (see {@link Heads#keepUnsealed}); under the seal lock. */
    private void sealUnsealed() {
        Head left = heads.unsealed();
        if (left == null) {
            return;
        }
        writeBlocks(left.runs(), heads.unsealedCheckpoint());
        heads.lock().writeLock().lock();
        try {
            heads.unsealedSealed();
            db.changed();
        } finally {
            heads.lock().writeLock().unlock();
        }
    }

    /**
     * Writes runs as blocks of at most ~{@link #BLOCK_SAMPLES} samples, {@link FittingBlocks#MAX_SERIES}
     * series and one queue excerpt of bytes, one batch at a time (see SealWriter); the last block
     * carries the checkpoint.
     */
    private void writeBlocks(List<Head.Run> runs, long checkpoint) {
        try {
            new SealWriter(db.segments(), db.rollups(), duplicates, blockSizer, () -> heads.budget().blockSamples(BLOCK_SAMPLES),
                    ref -> db.index().labels(ref).metricName(), db::appendRaw).write(runs, checkpoint, db.lastRawIndex());
        } finally {
            db.releaseWriters();
        }
    }

    /**
     * Keeps the WAL from {@code neededIndex} on (read at every seal) when sealing would delete it,
     * so a reader that fell behind (a receiver down) loses nothing; a hold older than the
     * retention window is ignored, so the WAL never outgrows what retention keeps. -1: no need.
     */
    void holdWal(LongSupplier neededIndex) {
        walHolds.add(neededIndex);
    }

    /** The index whose cycle and later ones survive a seal at {@code checkpoint}. */
    long walKeepFrom(long checkpoint, long nowMs) {
        long keep = checkpoint;
        for (LongSupplier h : walHolds) {
            long need = h.getAsLong();
            if (need >= 0 && need < keep && db.wal().cycleStartMs(need) + 5 * 60_000L >= db.retentionCutoffMs(nowMs)) {
                keep = need;
            }
        }
        return keep;
    }
}
