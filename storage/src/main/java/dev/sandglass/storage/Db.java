package dev.sandglass.storage;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.DiskFullException;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Storage;
import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.head.Head;
import dev.sandglass.storage.index.SeriesIndex;
import dev.sandglass.storage.jobs.RetentionJob;
import dev.sandglass.storage.rollup.RollupCompactor;
import dev.sandglass.storage.rollup.RollupRetention;
import dev.sandglass.storage.rollup.RollupStore;
import dev.sandglass.storage.segment.BlockHeader;
import dev.sandglass.storage.segment.BlockWriter;
import dev.sandglass.storage.segment.FittingBlocks;
import dev.sandglass.storage.segment.SegmentStore;
import dev.sandglass.storage.util.DiskSpace;
import dev.sandglass.storage.wal.Wal;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store: a series index (Chronicle Map), a write-ahead log and sealed columnar blocks
 * (Chronicle Queues), and the in-memory head of unsealed samples. A commit is durable in the WAL
 * before it is visible. Every {@link #SEAL_INTERVAL_MS} the head is sealed into a block that
 * records the last WAL index it covers, so a restart replays only the WAL written since, and
 * sealed WAL cycles are deleted. Retention drops whole segment files by age and by size.
 */
public final class Db implements Storage {
    private static final Logger LOG = LoggerFactory.getLogger(Db.class);
    /** Overridable for the crash-loop harness, which needs seals and retention often enough to kill them. */
    static final long SEAL_INTERVAL_MS = Long.getLong("sandglass.seal.interval.ms", 10 * 60_000L);
    static final long RETENTION_INTERVAL_MS = Long.getLong("sandglass.retention.interval.ms", 60_000L);
    /** Samples per sealed block, about: bounds a block's decode and the seal's column buffers. */
    static final int BLOCK_SAMPLES = 2_000_000;

    private final DbOptions options;
    private final SeriesIndex index;
    private final Wal wal;
    private final SegmentStore segments;
    private final RollupStore rollups;
    /** Samples per seal batch, so each block fits an excerpt at the first encoding. */
    private final dev.sandglass.storage.segment.BlockSizer blockSizer = new dev.sandglass.storage.segment.BlockSizer();
    /** Keeps samples written twice out of the rollups; used under the seal lock. */
    private final SealedDuplicates duplicates;
    /** Index of the last raw block appended, or -1; and, while a seal runs, the last ones from before it. */
    private volatile long lastRawIndex = -1;
    /** Bumped by every change of what a querier can read (commit, block, seal, retention): see {@link #changes}. */
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();
    private long sealBaseRaw = -1;
    private long sealBaseRollup = -1;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object sealLock = new Object();
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private Head head = new Head();
    private Head sealing;
    private ScheduledExecutorService jobs;
    private volatile boolean closed;
    private final StorageHealth health = new StorageHealth();
    private final dev.sandglass.storage.head.HeadBudget headBudget =
            dev.sandglass.storage.head.HeadBudget.ofHeap(Runtime.getRuntime().maxMemory());
    private final java.util.concurrent.atomic.AtomicBoolean earlySealQueued = new java.util.concurrent.atomic.AtomicBoolean();
    /** This store's jobs' guards (seal, retention, rollup compaction): its own, so another store's backoff never skips its seals. */
    private final Map<String, dev.sandglass.storage.jobs.LoopGuard> guards = new java.util.concurrent.ConcurrentHashMap<>();
    /** A head whose seal failed and could not be put back into the head (out of heap): sealed first next time. */
    private Head unsealed;
    private long unsealedCheckpoint;
    /** WAL batches the last open replayed; tests check replay starts after the checkpoint. */
    long replayedBatches;

    private Db(DbOptions options, FileChannel lockChannel, FileLock fileLock, SeriesIndex index, Wal wal, SegmentStore segments,
            RollupStore rollups) {
        this.options = options;
        this.rollups = rollups;
        for (BlockHeader h : segments.directory()) {
            lastRawIndex = Math.max(lastRawIndex, h.index());
        }
        this.lockChannel = lockChannel;
        this.fileLock = fileLock;
        this.index = index;
        this.wal = wal;
        this.segments = segments;
        this.duplicates = new SealedDuplicates(segments);
        head.compactPast(headBudget.limitBytes() / 4);
    }

    /** Opens (creating when absent) the store in {@code options.dir()}. */
    public static Db open(DbOptions options) {
        return open(options, SegmentStore.DEFAULT_CYCLE);
    }

    /** As {@link #open(DbOptions)} with another segment cycle: tests use short ones to get many segments. */
    static Db open(DbOptions options, net.openhft.chronicle.queue.RollCycle segmentCycle) {
        return open(options, segmentCycle, RollupStore.DEFAULT_CYCLE);
    }

    /** As {@link #open(DbOptions)} with other cycles for segments and rollups (tests). */
    static Db open(DbOptions options, net.openhft.chronicle.queue.RollCycle segmentCycle, net.openhft.chronicle.queue.RollCycle rollupCycle) {
        Path dir = options.dir();
        FileChannel ch = null;
        FileLock fl = null;
        SeriesIndex index = null;
        Wal wal = null;
        SegmentStore segments = null;
        RollupStore rollups = null;
        try {
            if (options.readOnly()) {
                if (!Files.isDirectory(dir.resolve("index"))) {
                    throw new StorageException("no Sandglass data in " + dir + " (expected " + dir.resolve("index") + ")");
                }
            } else {
                Files.createDirectories(dir);
                if (!Files.isDirectory(dir.resolve("index"))) {
                    // A new store writes its files' first pages at once: on a full disk that is a SIGBUS.
                    new DiskSpace(dir, DiskSpace.DEFAULT_RESERVE).ensure(4L << 20);
                }
                ch = FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                try {
                    fl = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    fl = null;
                }
                if (fl == null) {
                    throw new StorageException("data dir " + dir + " is in use by another Sandglass process (lock " + dir.resolve("LOCK") + ")");
                }
            }
            index = new SeriesIndex(dir.resolve("index"), SeriesIndex.DEFAULT_CAPACITY, options.readOnly());
            segments = new SegmentStore(dir.resolve("segments"), options.readOnly(), segmentCycle);
            rollups = new RollupStore(dir.resolve("rollups"), options.readOnly(), rollupCycle);
            Db db = new Db(options, ch, fl, index, null, segments, rollups);
            if (!options.readOnly()) {
                long now = System.currentTimeMillis();
                RetentionRecord.check(options, segments.directory(), now);
                db.rollUpUncovered();
                db.applyRetention(now);
                db.compactRollups();
                try {
                    RetentionRecord.write(dir, options.retentionMs());
                } catch (StorageException e) {
                    LOG.warn("{}", e.getMessage()); // a full disk: serve what is stored anyway
                }
            }
            wal = new Wal(dir.resolve("wal"), options.readOnly());
            db = new Db(options, ch, fl, index, wal, segments, rollups);
            db.replayWal();
            if (!options.readOnly()) {
                db.startJobs();
            }
            return db;
        } catch (IOException | RuntimeException e) {
            closeQuietly(wal);
            closeQuietly(rollups);
            closeQuietly(segments);
            closeQuietly(index);
            try {
                if (fl != null) {
                    fl.release();
                }
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException ignored) {
                // already failing
            }
            if (e instanceof DiskFullException df) {
                throw new StorageException("cannot create a store in " + dir + ": its file system is full (" + df.usableBytes()
                        + " bytes usable, " + df.neededBytes() + " needed)", df);
            }
            if (e instanceof StorageException se) {
                throw se;
            }
            if (e instanceof java.nio.file.AccessDeniedException || e instanceof java.nio.file.FileSystemException fse
                    && fse.getReason() != null && fse.getReason().contains("Read-only")) {
                throw new StorageException("cannot write the data dir " + dir + ": " + describe((IOException) e)
                        + " (give a data dir this user may write, or use the offline query commands, which only read)", e);
            }
            throw new StorageException("open store in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String describe(IOException e) {
        String reason = e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null ? fse.getReason() : "permission denied";
        String file = e instanceof java.nio.file.FileSystemException fse ? fse.getFile() : e.getMessage();
        return reason.toLowerCase(java.util.Locale.ROOT) + ": " + file;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing
            }
        }
    }

    private void replayWal() {
        long checkpoint = -1;
        for (BlockHeader h : segments.directory()) {
            checkpoint = Math.max(checkpoint, h.walCheckpoint());
        }
        long t0 = System.nanoTime();
        long n = wal.replay(checkpoint, head::add);
        replayedBatches = n;
        if (n > 0) {
            LOG.info("replayed {} WAL batches ({} samples) in {} ms", n, head.samples(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private void startJobs() {
        jobs = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandglass-storage-jobs");
            t.setDaemon(true);
            return t;
        });
        // Kept repeating (see KeptTasks): a seal job lost to a full heap would let the WAL and the head grow for good.
        dev.sandglass.storage.jobs.KeptTasks.withFixedDelay(jobs, guard("seal"), quiet(this::seal), SEAL_INTERVAL_MS, SEAL_INTERVAL_MS);
        dev.sandglass.storage.jobs.KeptTasks.withFixedDelay(jobs, guard("retention"), quiet(() -> applyRetention(System.currentTimeMillis())),
                RETENTION_INTERVAL_MS, RETENTION_INTERVAL_MS);
        // Days end while the server runs: their seals' small rollup excerpts are merged an hour later.
        dev.sandglass.storage.jobs.KeptTasks.withFixedDelay(jobs, guard("rollup compaction"), quiet(this::compactRollups),
                SEAL_INTERVAL_MS, SEAL_INTERVAL_MS);
    }

    /**
     * Runs a job through its loop guard: nothing it throws (an OutOfMemoryError included) cancels
     * the schedule; a failure is counted, logged and backed off (a full disk is logged once, by health).
     */
    private void runJob(String name, Runnable job) {
        guard(name).run(quiet(job));
    }

    private dev.sandglass.storage.jobs.LoopGuard guard(String job) {
        return guards.computeIfAbsent(job, n -> dev.sandglass.storage.jobs.LoopGuard.fresh("storage " + n));
    }

    /** {@code job} with a full disk left to health, which logs it once when writes start failing; it runs again next time. */
    private static Runnable quiet(Runnable job) {
        return () -> {
            try {
                job.run();
            } catch (DiskFullException e) {
                // logged by health
            }
        };
    }

    /** The head's share of the heap, what it holds and the early seals (sandglass_storage_head_*). */
    public dev.sandglass.storage.head.HeadBudget headBudget() {
        return headBudget;
    }

    /** Sets the head's share of the heap (see {@link dev.sandglass.storage.head.HeadBudget}); serve derives it from --memory.limit. */
    public void limitHead(long bytes) {
        headBudget.limit(bytes);
        lock.writeLock().lock();
        try {
            head.compactPast(headBudget.limitBytes() / 4);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Bytes the heads hold now: the one filling, the one being sealed. Under the read lock. */
    long headBytes() {
        lock.readLock().lock();
        try {
            return head.bytes() + (sealing != null ? sealing.bytes() : 0)
                    + (unsealed != null && unsealed != sealing ? unsealed.bytes() : 0);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * After a commit: when the heads hold more than their budget, queues one early seal on the
     * storage job thread (not on the committing one; commits go on meanwhile).
     */
    private void checkHeadBudget() {
        long held = headBytes();
        if (!headBudget.over(held) || jobs == null || !worthSealing()) {
            return;
        }
        if (held > 2 * headBudget.limitBytes()) {
            // Writers outrun the seals: this one waits for the seal in flight and seals what is
            // still over, so the heads stay near their budget however fast samples arrive.
            runJob("seal", () -> {
                if (headBudget.over(headBytes()) && worthSealing()) {
                    headBudget.sealedEarly();
                    seal();
                }
            });
            return;
        }
        if (!earlySealQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            jobs.execute(() -> {
                earlySealQueued.set(false);
                if (headBudget.over(headBytes()) && worthSealing()) {
                    headBudget.sealedEarly();
                    runJob("seal", this::seal);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            earlySealQueued.set(false); // closing
        }
    }

    /**
     * Whether an early seal would free much: only when the head's samples (16 bytes each) are at
     * least half the budget. Past the budget with fewer, the series' own slots and arrays are what
     * fill it (too many series for the budget): sealing then would write a block of one or two
     * samples per series at every commit and free next to nothing.
     */
    private boolean worthSealing() {
        lock.readLock().lock();
        try {
            return head.samples() * 16 >= headBudget.limitBytes() / 2;
        } finally {
            lock.readLock().unlock();
        }
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

    @Override
    public long changeCount() {
        return changes();
    }

    /**
     * The last raw block and rollup excerpt indexes a reader made now may use: while a seal runs,
     * those from before it, since the head being sealed is read instead. Call under the lock.
     */
    long[] readableIndexes() {
        return sealing != null ? new long[] {sealBaseRaw, sealBaseRollup} : new long[] {lastRawIndex, rollups.lastIndex()};
    }

    /** Serializes writers of raw blocks with their rollups: excerpts must cover raw blocks in order. */
    Object sealLock() {
        return sealLock;
    }

    /** Under the seal lock: the series as their rollups should count them (see SealedDuplicates). */
    List<BlockWriter.SeriesData> withoutSealed(List<BlockWriter.SeriesData> series) {
        return duplicates.withoutSealed(series, lastRawIndex);
    }

    /** Rolls up raw blocks no rollup excerpt covers (see {@link RollupRepair}). */
    void rollUpUncovered() {
        try {
            RollupRepair.run(segments, rollups);
        } finally {
            rollups.releaseWriter();
        }
    }

    ReentrantReadWriteLock lock() {
        return lock;
    }

    Head head() {
        return head;
    }

    Head sealingHead() {
        return sealing;
    }

    @Override
    public Appender appender() {
        if (options.readOnly()) {
            throw new StorageException("the store in " + options.dir() + " is open read-only");
        }
        return new WalAppender();
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

    /**
     * Batches samples; commit writes them to the WAL, then hands them to the head, which files
     * them into their series before any querier made afterwards reads it.
     */
    private final class WalAppender implements Appender {
        private int[] refs = new int[1024];
        private long[] ts = new long[1024];
        private double[] vs = new double[1024];
        private int n;

        @Override
        public long seriesRef(Labels labels) {
            try {
                return index.ref(labels);
            } catch (DiskFullException e) {
                health.diskFull(e, "new series");
                throw e;
            }
        }

        @Override
        public void append(long ref, long timestampMs, double value) {
            if (n == refs.length) {
                refs = java.util.Arrays.copyOf(refs, n * 2);
                ts = java.util.Arrays.copyOf(ts, n * 2);
                vs = java.util.Arrays.copyOf(vs, n * 2);
            }
            refs[n] = (int) ref;
            ts[n] = timestampMs;
            vs[n] = value;
            n++;
        }

        @Override
        public void commit() {
            if (n == 0) {
                return;
            }
            checkOpen();
            try {
                index.flush(); // the batch's new series are durable before any sample naming them
            } catch (DiskFullException e) {
                n = 0;
                health.diskFull(e, "new series");
                throw e;
            } catch (RuntimeException e) {
                n = 0;
                throw e;
            }
            lock.writeLock().lock();
            try {
                // What may need memory comes first: a heap too full for it fails the commit
                // before the batch is durable (the caller retries), never after it is.
                head.fold();
                head.reservePending(n);
                try {
                    wal.append(refs, ts, vs, n);
                } catch (DiskFullException e) {
                    health.diskFull(e, "WAL commit of " + n + " samples");
                    throw e;
                } catch (RuntimeException e) {
                    health.failed("wal");
                    throw e;
                }
                health.wrote();
                // Filed into the series by prepareNext() or before the next read (see foldPending).
                head.addPending(refs, ts, vs, n);
                changes.incrementAndGet();
            } finally {
                lock.writeLock().unlock();
                n = 0;
            }
            checkHeadBudget();
        }

        @Override
        public void rollback() {
            n = 0;
        }

        /**
         * Files the last batch into the head's series, pre-faults the WAL for the next commits and
         * copies new series into the index's map.
         */
        @Override
        public void prepareNext() {
            if (!closed) {
                foldPending();
                wal.prefault();
                index.syncMap();
            }
        }
    }

    /**
     * Files a committed batch kept aside by the head into its series. A querier calls it before it
     * takes the head, so every batch committed before the querier was made is in the series it
     * reads; the collect loop calls it between collections (Appender.prepareNext).
     */
    void foldPending() {
        boolean pending;
        lock.readLock().lock(); // the head field changes under the lock; the cheap check first
        try {
            pending = head.hasPending();
        } finally {
            lock.readLock().unlock();
        }
        if (!pending) {
            return;
        }
        lock.writeLock().lock();
        try {
            head.fold();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Seals the head into blocks (the SealJob): swaps in an empty head under the lock, encodes the
     * old one outside it, appends the blocks with the WAL checkpoint, then drops sealed WAL cycles.
     */
    public void seal() {
        synchronized (sealLock) {
            sealUnsealed();
            long checkpoint;
            Head old;
            lock.writeLock().lock();
            try {
                head.fold();
                if (head.isEmpty()) {
                    return;
                }
                old = head;
                sealBaseRaw = lastRawIndex;
                sealBaseRollup = rollups.lastIndex();
                sealing = old;
                head = nextHead(old);
                changes.incrementAndGet();
                checkpoint = wal.lastIndex();
            } finally {
                lock.writeLock().unlock();
            }
            try {
                writeBlocks(old.runs(), checkpoint);
            } catch (RuntimeException | Error e) {
                // Nothing of old was appended (writeBlocks checks space for all its blocks first) or
                // the WAL still holds it: put its samples back in front of the head, to seal later.
                try {
                    restore(old);
                } catch (OutOfMemoryError oom) {
                    // No heap to merge them: old stays readable as the head being sealed and is
                    // sealed first next time, with its own checkpoint (the WAL keeps it till then).
                    unsealed = old;
                    unsealedCheckpoint = checkpoint;
                }
                if (e instanceof DiskFullException df) {
                    health.diskFull(df, "seal");
                } else {
                    health.failed("seal");
                }
                throw e;
            }
            lock.writeLock().lock();
            try {
                // The sealed head's arrays go: kept as a spare for the next head (as before), they
                // doubled the heap the head holds in steady state (160 of 206 MB live when scraping
                // 100,000 series) to save one allocation per series every seal.
                sealing = null;
            } finally {
                lock.writeLock().unlock();
            }
            wal.dropBefore(walKeepFrom(checkpoint, System.currentTimeMillis()));
        }
    }

    /** Seals the head a failed seal left behind (see {@link #unsealed}); under the seal lock. */
    private void sealUnsealed() {
        Head left = unsealed;
        if (left == null) {
            return;
        }
        writeBlocks(left.runs(), unsealedCheckpoint);
        lock.writeLock().lock();
        try {
            unsealed = null;
            sealing = null;
            changes.incrementAndGet();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** After a failed seal: one head holding the unsealed samples, then those committed since. */
    private void restore(Head old) {
        lock.writeLock().lock();
        try {
            head.fold();
            Head merged = new Head(old.longestRun() + head.longestRun()).compactPast(headBudget.limitBytes() / 4);
            for (Head h : new Head[] {old, head}) {
                for (Head.Run r : h.runs()) {
                    long[] d = r.data();
                    for (int i = 0; i < r.size(); i++) {
                        merged.add(r.ref(), d[2 * i], Double.longBitsToDouble(d[2 * i + 1]));
                    }
                }
            }
            head = merged;
            sealing = null;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Readers of the WAL (remote-write senders): the lowest index each still needs. */
    private final java.util.List<java.util.function.LongSupplier> walHolds = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Keeps the WAL from {@code neededIndex} on (read at every seal) when sealing would delete it,
     * so a reader that fell behind (a receiver down) loses nothing; a hold older than the
     * retention window is ignored, so the WAL never outgrows what retention keeps. -1: no need.
     */
    public void holdWal(java.util.function.LongSupplier neededIndex) {
        walHolds.add(neededIndex);
    }

    /** The index whose cycle and later ones survive a seal at {@code checkpoint}. */
    long walKeepFrom(long checkpoint, long nowMs) {
        long keep = checkpoint;
        for (java.util.function.LongSupplier h : walHolds) {
            long need = h.getAsLong();
            if (need >= 0 && need < keep && wal.cycleStartMs(need) + 5 * 60_000L >= retentionCutoffMs(nowMs)) {
                keep = need;
            }
        }
        return keep;
    }

    /** A watcher of the WAL from {@code position} (see {@link Wal#watcher}); the caller closes it. */
    public dev.sandglass.storage.wal.WalWatcher walWatcher(long position) {
        checkOpen();
        return wal.watcher(position);
    }

    /** The labels of the series {@code ref}, as WAL batches name series by ref. */
    public dev.sandglass.storage.api.Labels seriesLabels(int ref) {
        return index.labels(ref);
    }

    /**
     * The head after {@code old}, under the write lock: a new one sized like {@code old} plus a
     * tenth so its series never copy to grow (when the head budget leaves room for that).
     */
    private Head nextHead(Head old) {
        // Sized like old only when that is well within the budget: after an early seal, series
        // arrays sized by their last run would put the new head over the budget at once.
        return (headBudget.keepSpare(old.bytes(), 0) ? Head.after(old) : new Head()).compactPast(headBudget.limitBytes() / 4);
    }

    /**
     * Writes runs as blocks of at most ~{@link #BLOCK_SAMPLES} samples, {@link FittingBlocks#MAX_SERIES}
     * series and one queue excerpt of bytes, one batch at a time (see SealWriter); the last block
     * carries the checkpoint.
     */
    void writeBlocks(List<Head.Run> runs, long checkpoint) {
        try {
            new SealWriter(segments, rollups, duplicates, blockSizer, () -> headBudget.blockSamples(BLOCK_SAMPLES),
                    ref -> index.labels(ref).metricName(), this::appendRaw).write(runs, checkpoint, lastRawIndex);
        } finally {
            releaseWriters();
        }
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
        try {
            RollupCompactor.compact(rollups, System.currentTimeMillis() - 3_600_000L);
        } finally {
            rollups.releaseWriter();
        }
    }

    /** Drops whole segments that are too old or over the size budget. */
    public void applyRetention(long nowMs) {
        long cutoff = retentionCutoffMs(nowMs);
        Map<Integer, Long> maxT = new HashMap<>();
        for (BlockHeader h : segments.directory()) {
            maxT.merge(h.cycle(), h.maxT(), Math::max);
        }
        Map<Integer, File> files = segments.cycleFiles();
        int current = segments.currentCycle();
        List<RetentionJob.Segment> segs = new ArrayList<>();
        long segBytes = 0;
        List<Path> paths = new ArrayList<>();
        files.values().forEach(f -> paths.add(f.toPath()));
        boolean bySize = options.retentionSizeBytes() > 0;
        // du runs only for a size budget; age retention needs no sizes but the log line's.
        Map<Path, Long> allocated = bySize ? AllocatedBytes.of(paths) : Map.of();
        for (var e : files.entrySet()) {
            long bytes = bySize ? allocated.getOrDefault(e.getValue().toPath(), 0L) : e.getValue().length();
            segBytes += bytes;
            segs.add(new RetentionJob.Segment(e.getKey(), bytes, maxT.getOrDefault(e.getKey(), Long.MIN_VALUE), e.getKey() == current));
        }
        long other = bySize ? Math.max(0, diskBytes() - segBytes) : 0;
        for (RetentionJob.Segment s : RetentionJob.toDrop(segs, other, cutoff, options.retentionSizeBytes())) {
            LOG.info("retention: dropping segment {} ({} bytes, newest sample {})", files.get(s.cycle()), s.bytes(),
                    s.maxT() == Long.MIN_VALUE ? "none" : java.time.Instant.ofEpochMilli(s.maxT()));
            segments.dropCycle(s.cycle(), files.get(s.cycle()));
            changes.incrementAndGet();
        }
        Map<Path, Long> rollupAllocated = bySize
                ? AllocatedBytes.of(rollups.cycleFiles().values().stream().map(File::toPath).toList()) : Map.of();
        RollupRetention.apply(rollups, nowMs - options.rollupRetentionMs(), options.retentionSizeBytes(), bySize ? diskBytes() : 0,
                f -> bySize ? rollupAllocated.getOrDefault(f.toPath(), 0L) : f.length());
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
        if (jobs != null) {
            jobs.shutdown();
            try {
                jobs.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
        if (jobs != null) {
            jobs.shutdownNow();
        }
        closed = true;
        closeQuietly(wal);
        closeQuietly(rollups);
        closeQuietly(segments);
        closeQuietly(index);
        try {
            if (fileLock != null) {
                fileLock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.warn("releasing lock: {}", e.getMessage());
        }
    }
}
