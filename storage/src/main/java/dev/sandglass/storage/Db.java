package dev.sandglass.storage;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Storage;
import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.head.Head;
import dev.sandglass.storage.index.SeriesIndex;
import dev.sandglass.storage.jobs.RetentionJob;
import dev.sandglass.storage.segment.BlockHeader;
import dev.sandglass.storage.segment.BlockWriter;
import dev.sandglass.storage.segment.SegmentStore;
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
import java.util.stream.Stream;
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
    static final long SEAL_INTERVAL_MS = 10 * 60_000L;
    static final long RETENTION_INTERVAL_MS = 60_000L;
    /** Samples per sealed block, about: bounds a block's decode and the seal's column buffers. */
    static final int BLOCK_SAMPLES = 2_000_000;

    private final DbOptions options;
    private final SeriesIndex index;
    private final Wal wal;
    private final SegmentStore segments;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object sealLock = new Object();
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private Head head = new Head();
    private Head sealing;
    /** The last sealed head, kept for its arrays: the next seal reuses it if no querier holds it. */
    private Head spare;
    /** Time and value columns writeBlocks splits runs into; kept between seals. */
    private long[] sealTs = new long[0];
    private double[] sealVs = new double[0];
    private ScheduledExecutorService jobs;
    private volatile boolean closed;
    /** WAL batches the last open replayed; tests check replay starts after the checkpoint. */
    long replayedBatches;

    private Db(DbOptions options, FileChannel lockChannel, FileLock fileLock, SeriesIndex index, Wal wal, SegmentStore segments) {
        this.options = options;
        this.lockChannel = lockChannel;
        this.fileLock = fileLock;
        this.index = index;
        this.wal = wal;
        this.segments = segments;
    }

    /** Opens (creating when absent) the store in {@code options.dir()}. */
    public static Db open(DbOptions options) {
        return open(options, SegmentStore.DEFAULT_CYCLE);
    }

    /** As {@link #open(DbOptions)} with another segment cycle: tests use short ones to get many segments. */
    static Db open(DbOptions options, net.openhft.chronicle.queue.RollCycle segmentCycle) {
        Path dir = options.dir();
        FileChannel ch = null;
        FileLock fl = null;
        SeriesIndex index = null;
        Wal wal = null;
        SegmentStore segments = null;
        try {
            if (options.readOnly()) {
                if (!Files.isDirectory(dir.resolve("index"))) {
                    throw new StorageException("no Sandglass data in " + dir + " (expected " + dir.resolve("index") + ")");
                }
            } else {
                Files.createDirectories(dir);
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
            Db db = new Db(options, ch, fl, index, null, segments);
            if (!options.readOnly()) {
                db.applyRetention(System.currentTimeMillis());
            }
            wal = new Wal(dir.resolve("wal"), options.readOnly());
            db = new Db(options, ch, fl, index, wal, segments);
            db.replayWal();
            if (!options.readOnly()) {
                db.startJobs();
            }
            return db;
        } catch (IOException | RuntimeException e) {
            closeQuietly(wal);
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
            if (e instanceof StorageException se) {
                throw se;
            }
            throw new StorageException("open store in " + dir + ": " + e.getMessage(), e);
        }
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
        jobs.scheduleWithFixedDelay(() -> runJob("seal", this::seal), SEAL_INTERVAL_MS, SEAL_INTERVAL_MS, TimeUnit.MILLISECONDS);
        jobs.scheduleWithFixedDelay(() -> runJob("retention", () -> applyRetention(System.currentTimeMillis())),
                RETENTION_INTERVAL_MS, RETENTION_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    private static void runJob(String name, Runnable job) {
        try {
            job.run();
        } catch (RuntimeException e) {
            LOG.error("{} job failed: {}", name, e.getMessage(), e);
        }
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
            return index.ref(labels);
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
            lock.writeLock().lock();
            try {
                wal.append(refs, ts, vs, n);
                // Filed into the series by prepareNext() or before the next read (see foldPending).
                head.addPending(refs, ts, vs, n);
            } finally {
                lock.writeLock().unlock();
                n = 0;
            }
        }

        @Override
        public void rollback() {
            n = 0;
        }

        /** Files the last batch into the head's series and pre-faults the WAL for the next commits. */
        @Override
        public void prepareNext() {
            if (!closed) {
                foldPending();
                wal.prefault();
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
            long checkpoint;
            Head old;
            lock.writeLock().lock();
            try {
                head.fold();
                if (head.isEmpty()) {
                    return;
                }
                old = head;
                sealing = old;
                head = nextHead(old);
                checkpoint = wal.lastIndex();
            } finally {
                lock.writeLock().unlock();
            }
            try {
                writeBlocks(old.runs(), checkpoint);
            } finally {
                lock.writeLock().lock();
                try {
                    sealing = null;
                    spare = old;
                } finally {
                    lock.writeLock().unlock();
                }
            }
            wal.dropBefore(walKeepFrom(checkpoint, System.currentTimeMillis()));
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
     * The head after {@code old}, under the write lock: the spare, cleared, when no querier holds it
     * (queriers take their reference under the read lock, so none can start reading it meanwhile),
     * else a new one sized like {@code old} plus a tenth so its series never copy to grow.
     */
    private Head nextHead(Head old) {
        Head next = spare;
        spare = null;
        if (next != null && next.readers() == 0) {
            next.clear();
            return next;
        }
        return new Head(old.longestRun() + old.longestRun() / 10);
    }

    /**
     * Encodes runs into blocks of at most ~{@link #BLOCK_SAMPLES} samples; the last carries the
     * checkpoint. Each batch's runs are split into time and value columns reused from seal to
     * seal (only the seal job runs this, under the seal lock), so sealing allocates no copy of
     * the head.
     */
    void writeBlocks(List<Head.Run> runs, long checkpoint) {
        List<BlockWriter.SeriesData> batch = new ArrayList<>();
        int inBatch = 0;
        for (int i = 0; i < runs.size(); i++) {
            Head.Run r = runs.get(i);
            if (sealTs.length < inBatch + r.size()) {
                // Doubling up to a block and a bit; runs already batched keep the old arrays.
                int need = inBatch + r.size();
                int cap = Math.max(need, Math.min(BLOCK_SAMPLES + BLOCK_SAMPLES / 8, 2 * need));
                sealTs = java.util.Arrays.copyOf(sealTs, cap);
                sealVs = java.util.Arrays.copyOf(sealVs, cap);
            }
            r.copyTo(sealTs, sealVs, inBatch);
            batch.add(new BlockWriter.SeriesData(r.ref(), index.labels(r.ref()).metricName(), sealTs, sealVs, inBatch, r.size()));
            inBatch += r.size();
            if (inBatch >= BLOCK_SAMPLES || i == runs.size() - 1) {
                segments.append(BlockWriter.encode(batch, i == runs.size() - 1 ? checkpoint : -1));
                batch = new ArrayList<>();
                inBatch = 0;
            }
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
        for (var e : files.entrySet()) {
            long bytes = e.getValue().length();
            segBytes += bytes;
            segs.add(new RetentionJob.Segment(e.getKey(), bytes, maxT.getOrDefault(e.getKey(), Long.MIN_VALUE), e.getKey() == current));
        }
        long other = Math.max(0, diskBytes() - segBytes);
        for (RetentionJob.Segment s : RetentionJob.toDrop(segs, other, cutoff, options.retentionSizeBytes())) {
            LOG.info("retention: dropping segment {} ({} bytes, newest sample {})", files.get(s.cycle()), s.bytes(),
                    s.maxT() == Long.MIN_VALUE ? "none" : java.time.Instant.ofEpochMilli(s.maxT()));
            segments.dropCycle(s.cycle(), files.get(s.cycle()));
        }
    }

    /** Bytes of every file in the data dir (apparent sizes: never less than what is used). */
    public long diskBytes() {
        try (Stream<Path> all = Files.walk(options.dir())) {
            return all.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
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
