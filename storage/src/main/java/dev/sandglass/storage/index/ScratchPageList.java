package dev.sandglass.storage.index;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The pages under {@link PagedInts} and {@link PagedBytes}: taken from {@link ScratchPages} one
 * at a time (only the array naming them doubles; no page is copied) and all given back at once.
 * A base class rather than a field so their reads index {@link #pages} directly, as before. Not
 * thread-safe.
 */
abstract class ScratchPageList {
    private final ScratchPages scratch;
    ByteBuffer[] pages = new ByteBuffer[4];
    int pageCount;

    ScratchPageList(ScratchPages scratch) {
        this.scratch = scratch;
    }

    /** Takes one more page from the scratch, as {@code pages[pageCount - 1]}. */
    final void addPage() {
        if (pageCount == pages.length) {
            pages = Arrays.copyOf(pages, pages.length * 2);
        }
        pages[pageCount++] = scratch.page();
    }

    /** Gives every page back to the scratch. */
    void release() {
        for (int i = 0; i < pageCount; i++) {
            scratch.release(pages[i]);
            pages[i] = null;
        }
        pageCount = 0;
    }
}
