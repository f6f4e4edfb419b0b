package dev.sandglass.storage;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Storage;
import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.head.Head;
import dev.sandglass.storage.index.SeriesIndex;
import dev.sandglass.storage.rollup.RollupStore;
import dev.sandglass.storage.segment.BlockHeader;
import dev.sandglass.storage.segment.BlockWriter;
import dev.sandglass.storage.segment.SegmentStore;
import dev.sandglass.storage.wal.Wal;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store: a series index (Chronicle Map), a write-ahead log and sealed columnar blocks
 * (Chronicle Queues), and the in-memory head of unsealed samples. A commit is durable in the WAL
 * before it is visible. Every {@link StorageJobs#SEAL_INTERVAL_MS} the head is sealed into a block that
 * records the last WAL index it covers, so a restart replays only the WAL written since, and
 * sealed WAL cycles are deleted. Retention drops whole segment files by age and by size.
 */
public final class Db implements Storage {
    private static final Logger LOG = LoggerFactory.getLogger(Db.class);

    private final DbOptions options;
    private final SeriesIndex index;
    private final Wal wal;
    private final SegmentStore segments;
    private final RollupStore rollups;
    /** Index of the last raw block appended, or -1. */
    private volatile long lastRawIndex = -1;
    /** Bumped by every change of what a querier can read (commit, block, seal, retention): see {@link #changes}. */
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();
    /** The heads of unsealed samples and their lock. */
    private final Heads heads = new Heads();
    private final SealJob sealJob;
    /** Null when read-only. */
    private final DataDirLock dirLock;
    private final StorageJobs jobs;
    private volatile boolean closed;
    private final StorageHealth health = new StorageHealth();
    /** WAL batches the last open replayed; tests check replay starts after the checkpoint. */
    long replayedBatches;

    Db(DbOptions options, DataDirLock dirLock, SeriesIndex index, Wal wal, SegmentStore segments, RollupStore rollups) {
        this.options = options;
        this.rollups = rollups;
        for (BlockHeader h : segments.directory()) {
            lastRawIndex = Math.max(lastRawIndex, h.index());
        }
        this.dirLock = dirLock;
        this.index = index;
        this.wal = wal;
        this.segments = segments;
        this.sealJob = new SealJob(this, heads);
        this.jobs = new StorageJobs(this, heads);
    }

    /** Opens (creating when absent) the store in {@code options.dir()} (see {@link DbOpener}). */
    public static Db open(DbOptions options) {
        return open(options, SegmentStore.DEFAULT_CYCLE);
    }

    /** As {@link #open(DbOptions)} with another segment cycle: tests use short ones to get many segments. */
    static Db open(DbOptions options, net.openhft.chronicle.queue.RollCycle segmentCycle) {
        return open(options, segmentCycle, RollupStore.DEFAULT_CYCLE);
    }

    /** As {@link #open(DbOptions)} with other cycles for segments and rollups (tests). */
    static Db open(DbOptions options, net.openhft.chronicle.queue.RollCycle segmentCycle, net.openhft.chronicle.queue.RollCycle rollupCycle) {
        return DbOpener.open(options, segmentCycle, rollupCycle);
    }

    /** Starts the seal, retention and rollup compaction jobs (see {@link StorageJobs}). */
    void startJobs() {
        jobs.start();
    }

    /** The head's share of the heap, what it holds and the early seals (sandglass_storage_head_*). */
    public dev.sandglass.storage.head.HeadBudget headBudget() {
        return heads.budget();
    }

    /** Sets the head's share of the heap (see {@link dev.sandglass.storage.head.HeadBudget}); serve derives it from --memory.limit. */
    public void limitHead(long bytes) {
        heads.limit(bytes);
    }

    /** Bytes the heads hold now: the one filling, the one being sealed. Under the read lock. */
    long headBytes() {
        return heads.bytes();
    }

    /** After a commit: an early seal when the heads hold more than their budget (see {@link StorageJobs#afterCommit}). */
    void checkHeadBudget() {
        jobs.afterCommit();
    }

    /** Whether writes succeed, and write failures by reason (sandglass_storage_*). */
    public StorageHealth health() {
        return health;
    }

    public DbOptions options() {
        return options;
    }

    public long retentionCutoffMs(long nowMs) {
        return nowMs - options.retentionMs();
    }

    SeriesIndex index() {
        return index;
    }

    Wal wal() {
        return wal;
    }

    boolean closed() {
        return closed;
    }

    SegmentStore segments() {
        return segments;
    }

    /** Lets go of what idle readers of sealed segments keep mapped (see SegmentStore#releaseIdleReaders), and the index's caches. */
    public void releaseIdleReaders() {
        segments.releaseIdleReaders();
        index.releaseIdleCaches();
    }

    RollupStore rollups() {
        return rollups;
    }

    /** Appends a raw block; every writer of raw blocks goes through here (see {@link #lastRawIndex}). */
    BlockHeader appendRaw(byte[] block) {
        return appendRaw(block, block.length);
    }

    /** The first {@code len} bytes of {@code block} as the next raw block. */
    BlockHeader appendRaw(byte[] block, int len) {
        BlockHeader h = segments.append(block, len);
        lastRawIndex = Math.max(lastRawIndex, h.index());
        changes.incrementAndGet();
        return h;
    }

    /**
     * A count that changes whenever what a querier of this process can read changes; -1 when it
     * cannot tell (read-only: another process may be writing the data dir).
     */
    long changes() {
        return options.readOnly() ? -1 : changes.get();
    }

    /** Counts a change of what a querier can read (see {@link #changes()}). */
    void changed() {
        changes.incrementAndGet();
    }

    @Override
    public long changeCount() {
        return changes();
    }

    /** The last raw block and rollup excerpt a reader made now may use (see {@link SealJob#readableIndexes}). */
    long[] readableIndexes() {
        return sealJob.readableIndexes();
    }

    /** Serializes writers of raw blocks with their rollups: excerpts must cover raw blocks in order. */
    Object sealLock() {
        return sealJob.sealLock();
    }

    /** Under the seal lock: the series as their rollups should count them (see SealedDuplicates). */
    List<BlockWriter.SeriesData> withoutSealed(List<BlockWriter.SeriesData> series) {
        return sealJob.withoutSealed(series);
    }

    long lastRawIndex() {
        return lastRawIndex;
    }

    /** Rolls up raw blocks no rollup excerpt covers (see {@link RollupRepair}). */
    void rollUpUncovered() {
        SealedUpkeep.rollUpUncovered(segments, rollups);
    }

    ReentrantReadWriteLock lock() {
        return heads.lock();
    }

    /** The head filling; under the lock. */
    Head head() {
        return heads.head();
    }

    /** The head being sealed, or null; under the lock. */
    Head sealingHead() {
        return heads.sealing();
    }

    @Override
    public Appender appender() {
        if (options.readOnly()) {
            throw new StorageException("the store in " + options.dir() + " is open read-only");
        }
        return new WalAppender(this);
    }

    @Override
    public BulkAppender bulkAppender() {
        if (options.readOnly()) {
            throw new StorageException("the store in " + options.dir() + " is open read-only");
        }
        return new BulkWriter(this);
    }

    @Override
    public Querier querier(long minT, long maxT) {
        return new DbQuerier(this, minT, maxT);
    }

    /** Files a committed batch kept aside by the head into its series (see {@link Heads#foldPending}). */
    void foldPending() {
        heads.foldPending();
    }

    /** Seals the head into blocks (see {@link SealJob}). */
    public void seal() {
        sealJob.seal();
    }

    /**
     * Keeps the WAL from {@code neededIndex} on (read at every seal) when sealing would delete it,
     * so a reader that fell behind (a receiver down) loses nothing (see {@link SealJob#holdWal}).
     */
    public void holdWal(java.util.function.LongSupplier neededIndex) {
        sealJob.holdWal(neededIndex);
    }

    /** The index whose cycle and later ones survive a seal at {@code checkpoint}. */
    long walKeepFrom(long checkpoint, long nowMs) {
        return sealJob.walKeepFrom(checkpoint, nowMs);
    }

    /** A watcher of the WAL from {@code position} (see {@link Wal#watcher}); the caller closes it. */
    public dev.sandglass.storage.wal.WalWatcher walWatcher(long position) {
        checkOpen();
        return wal.watcher(position);
    }

    /** The labels of the series {@code ref}, as WAL batches name series by ref. */
    public Labels seriesLabels(int ref) {
        return index.labels(ref);
    }

    /**
     * After a write of blocks or rollups: their files need not stay mapped (see
     * SegmentStore#releaseWriter), nor those the write read (a seal checks older blocks for samples
     * written twice) or queries read meanwhile: a server that is never queried never runs the
     * idle release that closes readers' tailers.
     */
    void releaseWriters() {
        segments.releaseWriter();
        segments.releaseIdleReaders();
        rollups.releaseWriter();
    }

    /**
     * Merges the rollup excerpts of every UTC day that ended over an hour ago into one per
     * resolution (the storage job does this every 10 minutes; also at open).
     */
    public void compactRollups() {
        SealedUpkeep.compactRollups(rollups);
    }

    /** Drops whole segments that are too old or over the size budget (see {@link SealedUpkeep}). */
    public void applyRetention(long nowMs) {
        SealedUpkeep.applyRetention(options, segments, rollups, nowMs, this::changed);
    }

    /**
     * Bytes the data dir takes on disk: allocated blocks (st_blocks * 512), not apparent sizes,
     * which count the holes of preallocated, sparse Chronicle files.
     */
    public long diskBytes() {
        return AllocatedBytes.of(options.dir());
    }

    public int seriesCount() {
        return index.size();
    }

    public int blockCount() {
        return segments.directory().size();
    }

    void checkOpen() {
        if (closed) {
            throw new StorageException("the store in " + options.dir() + " is closed");
        }
    }

    /** Releases every file without sealing, as an unclean stop would: tests of WAL replay. */
    void closeWithoutSeal() {
        closeFiles();
    }

    /** Seals what is in the head (so the next open replays nothing), then releases every file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        jobs.stop();
        if (!options.readOnly()) {
            try {
                seal();
            } catch (RuntimeException e) {
                LOG.error("sealing at close failed; the WAL still holds the data: {}", e.getMessage());
            }
        }
        closeFiles();
    }

    private void closeFiles() {
        if (closed) {
            return;
        }
        jobs.stopNow();
        closed = true;
        DbOpener.closeQuietly(wal, rollups, segments, index);
        try {
            if (dirLock != null) {
                dirLock.close();
            }
        } catch (IOException e) {
            LOG.warn("releasing lock: {}", e.getMessage());
        }
    }
}
