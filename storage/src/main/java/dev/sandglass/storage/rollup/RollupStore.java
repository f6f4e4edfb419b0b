package dev.sandglass.storage.rollup;

import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.util.CycleFiles;
import dev.sandglass.storage.util.DiskSpace;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * Rollup excerpts in their own Chronicle Queue ({@code rollups/}, daily cycle files), apart from
 * the raw segments so that raw retention never drops them; a cycle file is the unit rollup
 * retention drops. Keeps every excerpt's header in memory (read at open, headers only) and reads
 * bodies on demand. Which excerpts count is {@link ExcerptDirectory}'s to say.
 */
public final class RollupStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RollupStore.class);
    public static final RollCycle DEFAULT_CYCLE = RollCycles.FAST_DAILY;
    /** Chronicle's mapped block; one excerpt may take at most a quarter of it. */
    private static final long BLOCK_SIZE = 16L << 20;
    /** The largest excerpt the queue takes (Chronicle refuses a document over a quarter block). */
    public static final int MAX_EXCERPT_BYTES = (int) (BLOCK_SIZE / 4) - 4096;

    /** One excerpt as the directory holds it. */
    public record Entry(long index, int cycle, int bytes, RollupCodec.Header header) {
        /** The windows of {@code ref} in this excerpt (its bytes from {@link Reader#read}), or null when it has none. */
        public Windows decode(byte[] excerpt, int ref) {
            int i = header.indexOf(ref);
            return i < 0 ? null : RollupCodec.decode(excerpt, header, i);
        }

        /** How many windows {@code ref} has in this excerpt. */
        public int windows(int ref) {
            int i = header.indexOf(ref);
            return i < 0 ? 0 : header.windows(i);
        }

        /**
         * Decodes the windows of {@code ref} onto the end of {@code into} when they follow its last
         * one (see RollupCodec.decodeOnto); false, leaving into's windows as they were, otherwise.
         */
        public boolean decodeOnto(byte[] excerpt, int ref, Windows into) {
            int i = header.indexOf(ref);
            return i < 0 || RollupCodec.decodeOnto(excerpt, header, i, into);
        }
    }

    /** The index of the last excerpt, or -1. */
    public long lastIndex() {
        return lastIndex;
    }

    private final SingleChronicleQueue queue;
    private final ExcerptDirectory directory = new ExcerptDirectory();
    private final boolean readOnly;
    private ExcerptAppender appender;
    private boolean closed;
    private volatile long lastIndex = -1;
    private DiskSpace space;

    public RollupStore(Path dir, boolean readOnly) {
        this(dir, readOnly, DEFAULT_CYCLE);
    }

    public RollupStore(Path dir, boolean readOnly, RollCycle cycle) {
        this.readOnly = readOnly;
        if (readOnly && !dir.toFile().isDirectory()) {
            // A data dir written before rollups existed: nothing to read, nothing to create.
            queue = null;
            return;
        }
        this.queue = SingleChronicleQueueBuilder.single(dir.toFile())
                .rollCycle(cycle)
                .blockSize(BLOCK_SIZE)
                .readOnly(readOnly)
                .build();
        try {
            scan();
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
    }

    private void scan() {
        try (ExcerptTailer tailer = queue.createTailer()) {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    int total = (int) b.readRemaining();
                    try {
                        byte[] start = new byte[Math.min(total, 9)];
                        b.read(start);
                        if (start.length < 9) {
                            throw new StorageException("excerpt of " + total + " bytes");
                        }
                        long headerLen = RollupCodec.headerLength(start);
                        if (headerLen < 9 || headerLen > total) {
                            throw new StorageException("header of " + headerLen + " bytes in " + total);
                        }
                        byte[] header = java.util.Arrays.copyOf(start, (int) headerLen);
                        b.read(header, 9, (int) headerLen - 9);
                        directory.add(new Entry(dc.index(), tailer.cycle(), total, RollupCodec.header(header)));
                        lastIndex = dc.index();
                    } catch (RuntimeException e) {
                        // As for raw blocks: a damaged excerpt is skipped, never fatal for the rest.
                        LOG.warn("skipping unreadable rollup excerpt at index {} in {}: {}", Long.toHexString(dc.index()), queue.file(), e.getMessage());
                    }
                }
            }
        }
    }

    /** Appends an excerpt (from {@link RollupCodec#encode}); it is in the directory when this returns. */
    public synchronized Entry append(byte[] excerpt) {
        if (readOnly || queue == null) {
            throw new StorageException("the store is open read-only: rollups");
        }
        if (excerpt.length > MAX_EXCERPT_BYTES) {
            throw new StorageException("a rollup excerpt of " + excerpt.length + " bytes is over the queue's limit of " + MAX_EXCERPT_BYTES);
        }
        if (space == null) {
            space = new DiskSpace(queue.file().toPath(), DiskSpace.DEFAULT_RESERVE);
        }
        space.ensure(excerpt.length);
        if (appender == null) {
            appender = queue.createAppender();
        }
        // Appends are serialised by this monitor, but come from several threads (the storage job's
        // seals and compactions, an import's caller): Chronicle's one-thread check must follow
        // the holder, or the job's append fails while an import ran last (seen in bench/rollups.sh).
        appender.singleThreadedCheckReset();
        long index;
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(excerpt);
            index = dc.index();
        }
        Entry e = new Entry(index, queue.rollCycle().toCycle(index), excerpt.length, RollupCodec.header(excerpt));
        directory.appended(e);
        lastIndex = index;
        return e;
    }

    /**
     * Lets go of the appender and the mapping of the file it wrote, as {@code SegmentStore#releaseWriter}
     * does: a day's rollup file gets an excerpt per seal, and its written pages stayed resident
     * until the 16 MB chunk was full. Writers call it when a write is done.
     */
    public synchronized void releaseWriter() {
        if (appender != null) {
            appender.singleThreadedCheckReset();
            appender.close();
            appender = null;
        }
    }

    /**
     * Whether the excerpt is a continued part this process appended that is not committed yet:
     * its write may still be under way, so its cycle file must stay even though it does not count.
     */
    public boolean beingWritten(long index) {
        return directory.beingWritten(index);
    }

    public List<Entry> directory() {
        return directory.entries();
    }

    /**
     * The excerpts up to {@code lastIndex} that count, in write order: all but the parts of a
     * write that no excerpt up to lastIndex commits (see {@link RollupWriter#flush}): those a crash
     * or a failure cut short, or whose last part is not written yet. Every reader (queries,
     * coverage, compaction, retention) goes by these only.
     */
    public List<Entry> counted(long lastIndex) {
        return directory.counted(lastIndex);
    }

    /**
     * The excerpts up to {@code lastIndex} whose windows a reader uses: those that count, but for
     * those a compacted excerpt (also up to lastIndex) replaces.
     */
    public List<Entry> live(long lastIndex) {
        return directory.live(lastIndex);
    }

    /** The raw block ranges excerpts up to {@code lastIndex} cover (replaced ones too: their windows live on). */
    public RollupCoverage coverage(long lastIndex) {
        return directory.coverage(lastIndex);
    }

    /** Reads whole excerpts; one per querier (not thread-safe). */
    public Reader reader() {
        return new Reader();
    }

    public final class Reader implements AutoCloseable {
        private ExcerptTailer tailer;

        public byte[] read(Entry e) {
            synchronized (RollupStore.this) {
                if (closed) {
                    throw new StorageException("rollups are closed");
                }
                if (tailer == null) {
                    tailer = queue.createTailer();
                }
                if (!tailer.moveToIndex(e.index())) {
                    throw new StorageException("rollup excerpt " + Long.toHexString(e.index()) + " is gone from " + queue.file());
                }
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        throw new StorageException("rollup excerpt " + Long.toHexString(e.index()) + " cannot be read from " + queue.file());
                    }
                    Bytes<?> b = dc.wire().bytes();
                    byte[] bytes = new byte[(int) b.readRemaining()];
                    b.read(bytes);
                    return bytes;
                }
            }
        }

        @Override
        public void close() {
            synchronized (RollupStore.this) {
                if (tailer != null) {
                    if (!closed) {
                        tailer.close();
                    }
                    tailer = null;
                }
            }
        }
    }

    /** The cycle files on disk now, by cycle (see {@link CycleFiles}). */
    public Map<Integer, File> cycleFiles() {
        return queue == null ? Map.of() : CycleFiles.of(queue);
    }

    public int currentCycle() {
        return queue == null ? Integer.MIN_VALUE : queue.lastCycle();
    }

    /** Forgets the excerpts of a cycle and deletes its file (not the cycle being written). */
    public synchronized void dropCycle(int cycle, File file) {
        directory.dropCycle(cycle);
        if (file != null && file.exists() && !file.delete()) {
            LOG.warn("could not delete {}", file);
        }
        queue.refreshDirectoryListing();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (appender != null) {
            appender.close();
        }
        if (queue != null) {
            queue.close();
        }
    }
}
