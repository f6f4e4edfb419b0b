package dev.sandglass.storage.segment;

import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.util.CycleFiles;
import dev.sandglass.storage.util.DiskSpace;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import net.openhft.chronicle.bytes.Bytes;
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
 * from headers only, not bodies: {@link SegmentScan}) and reads bodies on demand. Readers share
 * the blocks they hold ({@link SharedBlocks}) and reuse tailers ({@link TailerPool}); a block's
 * checksum is checked on its first read ({@link BlockChecks}).
 */
public final class SegmentStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentStore.class);

    private final SingleChronicleQueue queue;
    private final List<BlockHeader> directory = new CopyOnWriteArrayList<>();
    private final BlockChecks checks;
    private final SharedBlocks shared = new SharedBlocks();
    private final TailerPool tailers;
    private final Damage damage;
    private final DiskSpace space;
    private final SegmentAppender writer;
    private volatile boolean closed;

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
        this.space = new DiskSpace(dir, DiskSpace.DEFAULT_RESERVE);
        this.damage = new Damage(dir.toAbsolutePath().getParent().resolve("damaged"), readOnly);
        this.queue = SingleChronicleQueueBuilder.single(dir.toFile())
                .rollCycle(cycle)
                .blockSize(BLOCK_SIZE)
                .readOnly(readOnly)
                .build();
        this.checks = new BlockChecks(queue, directory, damage);
        this.tailers = new TailerPool(queue);
        this.writer = new SegmentAppender(queue, readOnly, space);
        try {
            SegmentScan.scan(queue, damage, directory);
            verifyNewest();
        } catch (RuntimeException e) {
            queue.close();
            throw e;
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

    /** Appends a block; returns its header (already in the directory). */
    public BlockHeader append(byte[] block) {
        return append(block, block.length);
    }

    /** Appends the first {@code length} bytes of {@code block} (a reused encoder buffer: see BlockEncoder). */
    public synchronized BlockHeader append(byte[] block, int length) {
        BlockHeader h = writer.append(block, length);
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
        writer.release();
    }

    public List<BlockHeader> directory() {
        return directory;
    }

    /** Reads blocks' bodies; one per querier (not thread-safe). */
    public Reader reader() {
        return new Reader();
    }

    /**
     * Closes the readers' idle tailers, so the queue files they had mapped (read by queries, often
     * whole older cycles) can be unmapped: a server calls it once queries stop.
     */
    public void releaseIdleReaders() {
        tailers.closeIdle();
    }

    public final class Reader implements AutoCloseable {
        private ExcerptTailer tailer;
        private int generation;

        /** Blocks this reader holds in {@link SharedBlocks}, given back at close. */
        private final Set<Long> holding = new HashSet<>();

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
            Block b = shared.hold(k, holding);
            if (b == null) {
                Block fresh = readFromQueue(h, refs); // outside the lock; if another reader got there meanwhile, its copy is used
                b = shared.holdOrAdd(k, fresh, holding);
            }
            int[] missing = b.missingSections(refs);
            if (missing.length > 0) {
                supplySections(h, b, missing);
            }
            return b;
        }

        private DocumentContext document(BlockHeader h) {
            if (tailer == null) {
                // Under the store's monitor, as before the split: a drop (which ends the tailers'
                // generation and deletes cycle files under it) is never half done while a reader
                // takes or creates its tailer.
                synchronized (SegmentStore.this) {
                    synchronized (tailers) {
                        generation = tailers.generation();
                        tailer = tailers.take();
                    }
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
                boolean whole = refs == null || !checks.verified(h.index());
                int headerLen = whole ? 0 : (int) b.readLong(at + 1);
                if (whole || headerLen < 9 || headerLen > b.readRemaining()) {
                    byte[] bytes = new byte[(int) b.readRemaining()];
                    b.read(bytes);
                    checks.verify(h, bytes, at);
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
                shared.release(k);
            }
        }

        @Override
        public void close() {
            shared.releaseAll(holding);
            holding.clear();
            if (tailer != null) {
                tailers.giveBack(tailer, generation);
                tailer = null;
            }
        }
    }

    /** Blocks set aside as damaged since this store was created (listed in damaged/blocks.txt). */
    public int damagedBlocks() {
        return damage.setAsideBlocks().size();
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
        shared.forget(gone);
        tailers.closeIdle();
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
        tailers.close();
        writer.close();
        queue.close();
    }
}
