package dev.sandglass.storage.index;

/**
 * An append-only byte array in {@link ScratchPages} pages, for uvarint runs (frozen postings):
 * grows a page at a time without copying; a run may straddle pages. Not thread-safe.
 */
final class PagedBytes extends ScratchPageList {
    private static final int BITS = ScratchPages.PAGE_BITS;
    private static final int MASK = ScratchPages.PAGE - 1;
    private int size;

    PagedBytes(ScratchPages scratch) {
        super(scratch);
    }

    int size() {
        return size;
    }

    /** Appends {@code v} as an unsigned LEB128 varint. */
    void putVarint(int v) {
        while ((v & ~0x7F) != 0) {
            put((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        put((byte) v);
    }

    /** Appends one byte. */
    void put(byte b) {
        if (size == Integer.MAX_VALUE) {
            throw new IllegalStateException("series index postings full (2 GiB)");
        }
        int page = size >>> BITS;
        if (page == pageCount) {
            addPage();
        }
        pages[page].put(size & MASK, b);
        size++;
    }

    /** The byte at {@code at} (below {@link #size()}). */
    byte get(int at) {
        return pages[at >>> BITS].get(at & MASK);
    }

    /** Copies {@code n} bytes from {@code at} into {@code dst} from 0 (a run may straddle pages). */
    void get(int at, byte[] dst, int n) {
        int done = 0;
        while (done < n) {
            int off = (at + done) & MASK;
            int k = Math.min(n - done, ScratchPages.PAGE - off);
            pages[(at + done) >>> BITS].get(off, dst, done, k);
            done += k;
        }
    }

    /**
     * Decodes {@code count} varint deltas from {@code at} as running sums into {@code out} from
     * {@code outAt}.
     */
    void decodeDeltas(int at, int count, int[] out, int outAt) {
        int v = 0;
        for (int i = 0; i < count; i++) {
            int d = 0;
            for (int shift = 0;; shift += 7) {
                byte b = pages[at >>> BITS].get(at & MASK);
                at++;
                d |= (b & 0x7F) << shift;
                if (b >= 0) {
                    break;
                }
            }
            v += d;
            out[outAt + i] = v;
        }
    }

    /** Gives every page back to the scratch; empty afterwards. */
    @Override
    void release() {
        super.release();
        size = 0;
    }
}
