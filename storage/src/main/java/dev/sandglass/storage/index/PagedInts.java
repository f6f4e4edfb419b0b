package dev.sandglass.storage.index;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An int array in {@link ScratchPages} pages: it grows a page at a time without copying, and
 * unwritten elements read 0. Not thread-safe.
 */
final class PagedInts {
    private static final int SHIFT = ScratchPages.PAGE_BITS - 2;
    private static final int MASK = (1 << SHIFT) - 1;
    private final ScratchPages scratch;
    private ByteBuffer[] pages = new ByteBuffer[4];
    private int pageCount;

    PagedInts(ScratchPages scratch) {
        this.scratch = scratch;
    }

    /** Room for indexes below {@code n} at least. */
    void ensure(long n) {
        while ((long) pageCount << SHIFT < n) {
            if (pageCount == pages.length) {
                pages = Arrays.copyOf(pages, pages.length * 2);
            }
            pages[pageCount++] = scratch.page();
        }
    }

    /** Elements there is room for. */
    long capacity() {
        return (long) pageCount << SHIFT;
    }

    int get(int i) {
        return pages[i >>> SHIFT].getInt((i & MASK) << 2);
    }

    void set(int i, int v) {
        pages[i >>> SHIFT].putInt((i & MASK) << 2, v);
    }

    /** Gives every page back to the scratch; the array is empty afterwards. */
    void release() {
        for (int i = 0; i < pageCount; i++) {
            scratch.release(pages[i]);
            pages[i] = null;
        }
        pageCount = 0;
    }
}
