package dev.sandglass.storage.index;

/**
 * An int array in {@link ScratchPages} pages: it grows a page at a time without copying, and
 * unwritten elements read 0. Not thread-safe.
 */
final class PagedInts extends ScratchPageList {
    private static final int SHIFT = ScratchPages.PAGE_BITS - 2;
    private static final int MASK = (1 << SHIFT) - 1;

    PagedInts(ScratchPages scratch) {
        super(scratch);
    }

    /** Room for indexes below {@code n} at least. */
    void ensure(long n) {
        while ((long) pageCount << SHIFT < n) {
            addPage();
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
}
