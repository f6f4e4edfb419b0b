package dev.sandglass.storage.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fixed-size pages of memory outside the Java heap, for the series index's per-series tables
 * (label arena, offsets, lookup slots, frozen postings): a million series would otherwise take
 * most of a 64 MiB heap and leave no room for queries. The pages live in a scratch file that is
 * mapped and unlinked as soon as it is opened: nothing of it is left on disk after a close or a
 * kill, so there is no format to keep (the tables are rebuilt from {@code series.log} at every
 * open, as before). Its pages are file-backed: the kernel may write them out and drop them under
 * memory pressure instead of the process holding them for good. Blocks are written (allocated)
 * before they are mapped, so a full disk fails here with an IOException, never later as a fault
 * on a mapped page; then, and when no directory is writable, pages come from the heap instead.
 * Not thread-safe: SeriesIndex guards it.
 */
final class ScratchPages implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScratchPages.class);
    static final int PAGE_BITS = 16;
    static final int PAGE = 1 << PAGE_BITS;
    private static final int MAX_CHUNK_PAGES = 64;
    private static final ByteBuffer ZEROS = ByteBuffer.allocate(PAGE);

    private FileChannel channel;
    private long fileBytes;
    private int nextChunkPages = 1;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final java.util.ArrayList<ByteBuffer> chunks = new java.util.ArrayList<>();
    private long pagesInUse;
    private long heapPages;

    /**
     * Pages in a scratch file in {@code dir} (or the temp dir when it cannot be written). The
     * caller owns {@code dir} (the store's lock): a scratch file a kill left there between its
     * creation and its unlinking (an instant) is deleted first.
     */
    ScratchPages(Path dir) {
        deleteLeftovers(dir);
        channel = open(dir);
        if (channel == null) {
            channel = open(Path.of(System.getProperty("java.io.tmpdir")));
        }
        if (channel == null) {
            LOG.warn("series index: no directory for its scratch file ({} nor the temp dir); its tables stay on the heap", dir);
        }
    }

    /** Pages on the heap only (tests, and the fallback). */
    static ScratchPages onHeap() {
        return new ScratchPages();
    }

    private ScratchPages() {
        channel = null;
    }

    private static void deleteLeftovers(Path dir) {
        if (!Files.isDirectory(dir) || dir.equals(Path.of(System.getProperty("java.io.tmpdir")))) {
            return;
        }
        try (var left = Files.newDirectoryStream(dir, ".scratch-*.mem")) {
            for (Path p : left) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("series index: cannot delete old scratch files in {}: {}", dir, e.getMessage());
        }
    }

    private static FileChannel open(Path dir) {
        try {
            if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
                return null;
            }
            Path f = Files.createTempFile(dir, ".scratch-", ".mem");
            try {
                return FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } finally {
                Files.deleteIfExists(f);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A page of zeros, little-endian. */
    ByteBuffer page() {
        ByteBuffer p = free.poll();
        if (p == null) {
            if (channel != null) {
                grow();
                p = free.poll();
            }
            if (p == null) {
                heapPages++;
                p = ByteBuffer.allocate(PAGE).order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        pagesInUse++;
        return p;
    }

    /**
     * Gives a page back for reuse; it reads zeros afterwards. A page of the scratch file is given
     * back to the system as well ({@code madvise(MADV_REMOVE)}: its blocks of the file are punched
     * out and it is no longer resident), so the pages a growing table lets go of (the lookup
     * slots' earlier generations, postings rebuilt at a freeze: ~4.5 MiB at a million series)
     * stop counting in serve's resident memory until they are reused. Where that is refused (a
     * heap page, a file system that cannot punch holes, no native call) it is zeroed by hand.
     */
    void release(ByteBuffer p) {
        if (p == null) {
            return;
        }
        p.clear();
        if (!ScratchRelease.giveBack(p)) {
            p.put(ZEROS.duplicate());
            p.clear();
        }
        free.push(p);
        pagesInUse--;
    }

    /** Maps one more chunk of pages at the end of the file (its blocks written first). */
    private void grow() {
        int pages = nextChunkPages;
        long bytes = (long) pages * PAGE;
        try {
            for (int i = 0; i < pages; i++) {
                ByteBuffer z = ZEROS.duplicate();
                long at = fileBytes + (long) i * PAGE;
                while (z.hasRemaining()) {
                    at += channel.write(z, at);
                }
            }
            ByteBuffer chunk = channel.map(FileChannel.MapMode.READ_WRITE, fileBytes, bytes);
            fileBytes += bytes;
            chunks.add(chunk);
            for (int i = 0; i < pages; i++) {
                free.add(chunk.slice(i * PAGE, PAGE).order(ByteOrder.LITTLE_ENDIAN));
            }
            nextChunkPages = Math.min(MAX_CHUNK_PAGES, nextChunkPages * 2);
        } catch (IOException | RuntimeException e) {
            LOG.warn("series index: its scratch file cannot grow ({}); further tables go on the heap", e.getMessage());
            closeChannel();
        }
    }

    /**
     * Asks the kernel to write the scratch file's pages out and free them ({@code
     * madvise(MADV_PAGEOUT)}), for an idle server: at a million series the tables are ~28 MiB
     * that an idle serve would otherwise keep resident. Nothing is lost: the file's blocks were
     * allocated before it was mapped, so the pages are written to it, and the next read of one
     * faults it back in (from the page cache if the kernel still has it, else from the disk).
     * Returns the bytes asked for, 0 when there is no scratch file or the kernel refuses (before
     * Linux 5.4, or where pages cannot be written out).
     */
    long pageOut() {
        long asked = 0;
        for (ByteBuffer chunk : chunks) {
            if (!ScratchRelease.pageOut(chunk)) {
                return asked;
            }
            asked += chunk.capacity();
        }
        return asked;
    }

    /** Bytes of pages handed out and not given back. */
    long bytesInUse() {
        return pagesInUse * PAGE;
    }

    /** Pages handed out from the heap (none while the scratch file can grow). */
    long heapPages() {
        return heapPages;
    }

    private void closeChannel() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // the mapping stays valid; the file is already unlinked
        }
        channel = null;
    }

    /**
     * Closes the file; mapped pages stay valid until the collector frees them (unmapping them at
     * once would crash a reader still holding one).
     */
    @Override
    public void close() {
        closeChannel();
    }
}
