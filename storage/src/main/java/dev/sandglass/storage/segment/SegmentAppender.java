package dev.sandglass.storage.segment;

import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.util.DiskSpace;
import java.util.Arrays;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The write side of a {@link SegmentStore}: appends blocks to its queue, checking the free space
 * first. Not thread-safe: the store calls it under its own monitor.
 */
final class SegmentAppender {
    private final SingleChronicleQueue queue;
    private final boolean readOnly;
    /** Checked before every append to the mapping (a hole touched on a full disk is a SIGBUS). */
    private final DiskSpace space;
    private ExcerptAppender appender;

    SegmentAppender(SingleChronicleQueue queue, boolean readOnly, DiskSpace space) {
        this.queue = queue;
        this.readOnly = readOnly;
        this.space = space;
    }

    /** Appends the first {@code length} bytes of {@code block} (a reused encoder buffer: see BlockEncoder). */
    BlockHeader append(byte[] block, int length) {
        if (readOnly) {
            throw new StorageException("the store is open read-only: " + queue.file());
        }
        if (length > SegmentStore.MAX_BLOCK_BYTES) {
            // Writers split by FittingBlocks; refused here before the queue is touched, whatever the caller.
            throw new StorageException("a block of " + length + " bytes is over the queue's limit of " + SegmentStore.MAX_BLOCK_BYTES);
        }
        space.ensure(length);
        if (appender == null) {
            appender = queue.createAppender();
        }
        // Appends are serialised by the store's monitor, but come from several threads (the storage
        // job's seals and compactions, an import's caller): Chronicle's one-thread check must follow
        // the holder, or the job's append fails while an import ran last (seen in bench/rollups.sh).
        appender.singleThreadedCheckReset();
        long index;
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(block, 0, length);
            index = dc.index();
        }
        int headerLen = (int) readLong(block, 1);
        return BlockHeader.parse(index, queue.rollCycle().toCycle(index), Arrays.copyOf(block, headerLen), length);
    }

    /**
     * Lets go of the appender, and with it the mapping of the file it wrote: every page a seal
     * wrote stayed resident in this process (counted in its RSS) until the appender moved on to
     * the next 16 MB chunk, up to 32 MB with the mapping's overlap. What was written stays in the
     * file (the page cache writes it back as before: no change to what a crash keeps); the next
     * append maps the file again, once per seal. Writers call it when a write is done.
     */
    void release() {
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

    void close() {
        if (appender != null) {
            appender.close();
        }
    }
}
