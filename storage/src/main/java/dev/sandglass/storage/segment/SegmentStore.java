package dev.sandglass.storage.segment;

import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.encoding.Checksum;
import dev.sandglass.storage.encoding.CorruptBlockException;
import dev.sandglass.storage.util.CycleFiles;
import dev.sandglass.storage.util.DiskSpace;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sealed blocks as excerpts of a Chronicle Queue with hourly cycle files; a segment is one cycle
 * file, the unit retention drops. Keeps the directory of block headers in memory (rebuilt at open
 * from headers only, not bodies) and reads bodies on demand.
 */
public final class SegmentStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentStore.class);

    private final SingleChronicleQueue queue;
    private final List<BlockHeader> directory = new CopyOnWriteArrayList<>();
    /** Blocks whose checksum was checked by this process. */
    private final java.util.Set<Long> verified = ConcurrentHashMap.newKeySet();
    /**
     * Blocks that open readers have read, by index, with how many of them hold each: queries
     * running at once (a dashboard's panels, fifty clients) share one copy of a block and its
     * decoded sections instead of one each, which was most of a query's memory. A block leaves
     * when its last reader closes, so nothing is kept between queries (no cache: a query reads
     * and decodes what it needs as before, and an idle server holds no blocks). Guarded by itself.
     */
    private final Map<Long, Shared> shared = new java.util.HashMap<>();

    private static final class Shared {
        final Block block;
        int readers;

        Shared(Block block) {
            this.block = block;
        }
    }
    private final Damage damage;
    private final boolean readOnly;
    /** Checked before every append to the mapping (a hole touched on a full disk is a SIGBUS). */
    private final DiskSpace space;
    private ExcerptAppender appender;
    private volatile boolean closed;
    /**
     * Tailers of finished readers, kept for the next ones: a new tailer maps the cycle files it
     * reads and unmaps them when closed, two system calls per file per query (6% of a counter
     * query's profile). Dropping a cycle closes them all (generation moves on), so none keeps a
     * deleted file mapped. Guarded by this.
     */
    private final java.util.ArrayDeque<ExcerptTailer> idleTailers = new java.util.ArrayDeque<>();
    private int tailerGeneration;
    private static final int IDLE_TAILERS = 4;

    /** The queue's block: an excerpt may take at most a quarter of it (Chronicle's limit). */
    static final long BLOCK_SIZE = 16L << 20;
    /** Bytes of one raw block at most (the queue's excerpt limit, less room for its header). */
    public static final int MAX_BLOCK_BYTES = (int) (BLOCK_SIZE / 4) - 4096;

    /** Hourly segments: small enough units for retention, few enough files for weeks of data. */
    public static final RollCycle DEFAULT_CYCLE = RollCycles.FAST_HOURLY;

    public SegmentStore(Path dir, boolean readOnly) {
        this(dir, readOnly, DEFAULT_CYCLE);
    }

    public SegmentStore(Path dir, boolean readOnly, RollCycle cycle) {
        this.readOnly = readOnly;
        this.space = new DiskSpace(dir, DiskSpace.DEFAULT_RESERVE);
        this.damage = new Damage(dir.toAbsolutePath().getParent().resolve("damaged"), readOnly);
        this.queue = SingleChronicleQueueBuilder.single(dir.toFile())
                .rollCycle(cycle)
                .blockSize(BLOCK_SIZE)
                .readOnly(readOnly)
                .build();
        try {
            scan();
            verifyNewest();
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
    }

    private void scan() {
        java.util.Set<Long> setAside = damage.setAsideBlocks();
        try (ExcerptTailer tailer = queue.createTailer()) {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        if (skipToNextCycle(tailer)) {
                            continue;
                        }
                        break;
                    }
                    if (setAside.contains(dc.index())) {
                        continue;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    int total = (int) b.readRemaining();
                    try {
                        int version = b.readByte();
                        long headerLen = b.readLong();
                        if (!BlockWriter.knownVersion(version) || headerLen < 9 || headerLen > total) {
                            throw new StorageException("bad block header (version " + version + ", header " + headerLen + " of " + total + " bytes)");
                        }
                        byte[] header = new byte[(int) headerLen];
                        header[0] = (byte) version;
                        for (int i = 0; i < 8; i++) {
                            header[1 + i] = (byte) (headerLen >>> (8 * i));
                        }
                        b.read(header, 9, (int) headerLen - 9);
                        directory.add(BlockHeader.parse(dc.index(), tailer.cycle(), header, total));
                    } catch (RuntimeException e) {
                        // A damaged block is skipped, never fatal for the rest of the store.
                        LOG.warn("skipping unreadable block at index {} in {}: {}", Long.toHexString(dc.index()), queue.file(), e.getMessage());
                    }
                } catch (RuntimeException e) {
                    // Chronicle cannot read on in this cycle file (a torn or scribbled excerpt header).
                    if (!skipToNextCycle(tailer)) {
                        LOG.warn("segments in {}: stopped reading at index {}: {}", queue.file(), Long.toHexString(tailer.index()), e.toString());
                        break;
                    }
                }
            }
        }
    }

    /**
     * A kill while a block was appended can only tear the newest segment file: its blocks are
     * checked at open (the rest on first read), so start-up names a torn block and sets it aside.
     */
    private void verifyNewest() {
        int newest = Integer.MIN_VALUE;
        for (BlockHeader h : directory) {
            newest = Math.max(newest, h.cycle());
        }
        try (Reader r = new Reader()) {
            for (BlockHeader h : directory) {
                if (h.cycle() == newest) {
                    try {
                        r.readFromQueue(h, null); // checked, not kept
                    } catch (StorageException e) {
                        // logged and set aside by verify
                    }
                }
            }
        }
    }

    /**
     * When the tailer stopped before the last cycle file, the file it stopped in is damaged (an
     * intact one ends with an end-of-file marker that moves the tailer on): keep what was read of
     * it, copy it aside and go on with the next file. False when there is no next file.
     */
    private boolean skipToNextCycle(ExcerptTailer tailer) {
        int cycle = tailer.cycle();
        if (cycle >= queue.lastCycle()) {
            return false;
        }
        int next;
        try {
            next = queue.nextCycle(cycle, net.openhft.chronicle.queue.TailerDirection.FORWARD);
        } catch (java.text.ParseException | RuntimeException e) {
            return false;
        }
        if (next <= cycle) {
            return false;
        }
        File f = fileOf(cycle);
        LOG.error("segment file {} is damaged after block index {}: blocks before it are kept, a copy of the file is set aside in {},"
                + " reading goes on with the next file", f, Long.toHexString(tailer.index()), damage.dir());
        damage.copyAside(f);
        return tailer.moveToCycle(next);
    }

    /** Appends a block; returns its header (already in the directory). */
    public BlockHeader append(byte[] block) {
        return append(block, block.length);
    }

    /** Appends the first {@code length} bytes of {@code block} (a reused encoder buffer: see BlockEncoder). */
    public synchronized BlockHeader append(byte[] block, int length) {
        if (readOnly) {
            throw new StorageException("the store is open read-only: " + queue.file());
        }
        if (length > MAX_BLOCK_BYTES) {
            // Writers split by FittingBlocks; refused here before the queue is touched, whatever the caller.
            throw new StorageException("a block of " + length + " bytes is over the queue's limit of " + MAX_BLOCK_BYTES);
        }
        space.ensure(length);
        if (appender == null) {
            appender = queue.createAppender();
        }
        // Appends are serialised by this monitor, but come from several threads (the storage job's
        // seals and compactions, an import's caller): Chronicle's one-thread check must follow
        // the holder, or the job's append fails while an import ran last (seen in bench/rollups.sh).
        appender.singleThreadedCheckReset();
        long index;
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(block, 0, length);
            index = dc.index();
        }
        int headerLen = (int) readLong(block, 1);
        BlockHeader h = BlockHeader.parse(index, queue.rollCycle().toCycle(index), java.util.Arrays.copyOf(block, headerLen), length);
        directory.add(h);
        return h;
    }

    /**
     * Lets go of the appender, and with it the mapping of the file it wrote: every page a seal
     * wrote stayed resident in this process (counted in its RSS) until the appender moved on to
     * the next 16 MB chunk, up to 32 MB with the mapping's overlap. What was written stays in the
     * file (the page cache writes it back as before: no change to what a crash keeps); the next
     * append maps the file again, once per seal. Writers call it when a write is done.
     */
    public synchronized void releaseWriter() {
        if (appender != null) {
            appender.singleThreadedCheckReset();
            appender.close();
            appender = null;
        }
    }

    private static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (b[at + i] & 0xFFL) << (8 * i);
        }
        return v;
    }

    public List<BlockHeader> directory() {
        return directory;
    }

    /** Reads blocks' bodies; one per querier (not thread-safe). */
    public Reader reader() {
        return new Reader();
    }

    private synchronized ExcerptTailer takeTailer() {
        ExcerptTailer t = idleTailers.poll();
        if (t == null) {
            return queue.createTailer();
        }
        // Tailers check that one thread uses them; this one now belongs to the caller's.
        t.singleThreadedCheckReset();
        return t;
    }

    private synchronized void giveBack(ExcerptTailer t, int generation) {
        if (!closed && generation == tailerGeneration && idleTailers.size() < IDLE_TAILERS) {
            idleTailers.push(t);
        } else {
            t.close();
        }
    }

    /**
     * Closes the readers' idle tailers, so the queue files they had mapped (read by queries, often
     * whole older cycles) can be unmapped: a server calls it once queries stop.
     */
    public void releaseIdleReaders() {
        closeIdleTailers();
    }

    private synchronized void closeIdleTailers() {
        tailerGeneration++;
        for (ExcerptTailer t : idleTailers) {
            t.close();
        }
        idleTailers.clear();
    }

    public final class Reader implements AutoCloseable {
        private ExcerptTailer tailer;
        private int generation;

        /** Blocks this reader holds in {@link #shared}, given back at close. */
        private final java.util.Set<Long> holding = new java.util.HashSet<>();

        /** The whole block (every value frame). */
        public Block read(BlockHeader h) {
            return read(h, null);
        }

        /**
         * The block, with at least what reading {@code refs} needs (every series when null): its
         * header, timestamps and the value frames of those series. Once a block's checksum was
         * checked (its first read in this process reads it whole), a query copies only these
         * sections out of the queue file, not the frames of every other metric.
         */
        public Block read(BlockHeader h, int[] refs) {
            long k = h.index();
            Block b;
            synchronized (shared) {
                Shared s = shared.get(k);
                b = s == null ? null : hold(k, s);
            }
            if (b == null) {
                Block fresh = readFromQueue(h, refs); // outside the lock; if another reader got there meanwhile, its copy is used
                synchronized (shared) {
                    b = hold(k, shared.computeIfAbsent(k, x -> new Shared(fresh)));
                }
            }
            int[] missing = b.missingSections(refs);
            if (missing.length > 0) {
                supplySections(h, b, missing);
            }
            return b;
        }

        private Block hold(long k, Shared s) {
            if (holding.add(k)) {
                s.readers++;
            }
            return s.block;
        }

        private DocumentContext document(BlockHeader h) {
            if (tailer == null) {
                synchronized (SegmentStore.this) {
                    generation = tailerGeneration;
                    tailer = takeTailer();
                }
            }
            if (!tailer.moveToIndex(h.index())) {
                throw new StorageException("block " + Long.toHexString(h.index()) + " is gone from " + queue.file());
            }
            DocumentContext dc = tailer.readingDocument();
            if (!dc.isPresent()) {
                dc.close();
                throw new StorageException("block " + Long.toHexString(h.index()) + " cannot be read from " + queue.file());
            }
            return dc;
        }

        /** The whole block when its checksum is still to be checked, else its header alone (a partial block). */
        private Block readFromQueue(BlockHeader h, int[] refs) {
            try (DocumentContext dc = document(h)) {
                Bytes<?> b = dc.wire().bytes();
                long at = b.readPosition();
                boolean whole = refs == null || !verified.contains(h.index());
                int headerLen = whole ? 0 : (int) b.readLong(at + 1);
                if (whole || headerLen < 9 || headerLen > b.readRemaining()) {
                    byte[] bytes = new byte[(int) b.readRemaining()];
                    b.read(bytes);
                    verify(h, bytes, at);
                    return new Block(bytes);
                }
                byte[] header = new byte[headerLen];
                b.read(header);
                return Block.partial(header);
            }
        }

        /** Copies sections {@code missing} of the block into {@code block}. */
        private void supplySections(BlockHeader h, Block block, int[] missing) {
            try (DocumentContext dc = document(h)) {
                BlockSections.copy(dc.wire().bytes(), block, missing, Long.toHexString(h.index()));
            }
        }

        /** Gives back one block read by this reader before it closes (a query streaming its blocks). */
        public void release(BlockHeader h) {
            long k = h.index();
            if (holding.remove(k)) {
                synchronized (shared) {
                    Shared s = shared.get(k);
                    if (s != null && --s.readers == 0) {
                        shared.remove(k);
                    }
                }
            }
        }

        @Override
        public void close() {
            synchronized (shared) {
                for (long k : holding) {
                    Shared s = shared.get(k);
                    if (s != null && --s.readers == 0) {
                        shared.remove(k);
                    }
                }
            }
            holding.clear();
            if (tailer != null) {
                giveBack(tailer, generation);
                tailer = null;
            }
        }
    }

    /**
     * Checks a block's checksum the first time this process reads it (blocks never change once
     * written, so once is enough and the query path pays it once). A mismatch sets the block
     * aside, so no answer includes it from now on, and fails the read naming file and offset.
     */
    private void verify(BlockHeader h, byte[] bytes, long at) {
        if (bytes.length == 0 || bytes[0] != BlockWriter.VERSION || verified.contains(h.index())) {
            return;
        }
        if (!Checksum.trailerMatches(bytes, bytes.length)) {
            File f = fileOf(h.cycle());
            String where = "block " + Long.toHexString(h.index()) + " at byte " + at + " of " + f;
            directory.remove(h);
            damage.setAside(h.index(), where + ": checksum mismatch");
            damage.copyAside(f);
            throw new CorruptBlockException(where + " is corrupt (checksum mismatch): it is set aside (" + damage.dir()
                    + ") and left out of answers from now on");
        }
        verified.add(h.index());
    }

    /** Blocks set aside as damaged since this store was created (listed in damaged/blocks.txt). */
    public int damagedBlocks() {
        return damage.setAsideBlocks().size();
    }

    /** The file of a cycle, by Chronicle's naming rule, so damage reports always name the file. */
    private File fileOf(int cycle) {
        return CycleFiles.file(queue, cycle);
    }

    /** The cycle files on disk now, by cycle (see {@link CycleFiles}). */
    public Map<Integer, File> cycleFiles() {
        return CycleFiles.of(queue);
    }

    public int currentCycle() {
        return queue.lastCycle();
    }

    /** Forgets the blocks of a cycle and deletes its file (not the cycle being written). */
    public synchronized void dropCycle(int cycle, File file) {
        List<BlockHeader> gone = new ArrayList<>();
        for (BlockHeader h : directory) {
            if (h.cycle() == cycle) {
                gone.add(h);
            }
        }
        directory.removeAll(gone);
        synchronized (shared) {
            gone.forEach(h -> shared.remove(h.index()));
        }
        closeIdleTailers();
        if (file != null && file.exists() && !file.delete()) {
            LOG.warn("could not delete {}", file);
        }
        queue.refreshDirectoryListing();
    }

    public File dir() {
        return queue.file();
    }

    /** Free space check for writes of {@code bytes} in total (a seal checks all its blocks at once). */
    public void ensureSpace(long bytes) {
        space.ensure(bytes);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeIdleTailers();
        if (appender != null) {
            appender.close();
        }
        queue.close();
    }
}
