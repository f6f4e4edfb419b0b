package dev.sandglass.storage.index;

import dev.sandglass.storage.api.Labels;
import java.util.Arrays;

/**
 * Label sets by ref, and refs by label set, in a few primitive arrays: each series is a run of
 * varint symbol ids ({@code pairs, name0, value0, name1, value1 ...}) in one byte arena, found by
 * its offset; the lookup by label set is open addressing over refs, hashing and comparing the
 * symbols in place. About 12 to 20 bytes of arena, 4 of offset and 6 to 11 of lookup slots per
 * series, where a {@link Labels} object and a hash map entry cost several hundred: that is what
 * lets a million series fit the memory budget. A {@link Labels} is made only when asked for.
 * Not thread-safe: SeriesIndex guards it.
 */
final class SeriesTable {
    private static final int PAGE_BITS = 18;
    private static final int PAGE = 1 << PAGE_BITS;
    private final Symbols symbols;
    /** The arena in pages of {@link #PAGE} bytes, so it grows without copying; no series straddles two. */
    private byte[][] pages = new byte[16][];
    private int used;
    /** Arena offset per ref; -1 for a gap (a ref lost to damage). */
    private int[] offsets = new int[1024];
    /** One past the highest ref held. */
    private int size;
    private int count;
    /** ref + 1 per slot; 0 is empty. A power of two, at most 3/4 full. */
    private int[] slots = new int[2048];

    SeriesTable(Symbols symbols) {
        this.symbols = symbols;
    }

    /** Holds {@code l} (its strings interned) as series {@code ref}, which must not be held yet. */
    void put(int ref, Labels l) {
        if (ref >= offsets.length) {
            int old = offsets.length;
            offsets = Arrays.copyOf(offsets, Math.max(ref + 1, old * 2));
            Arrays.fill(offsets, old, offsets.length, -1);
        }
        if (ref >= size) {
            Arrays.fill(offsets, size, ref, -1);
            size = ref + 1;
        }
        byte[] page = room(5 + l.size() * 10);
        offsets[ref] = used;
        int p = used & (PAGE - 1);
        p = putVarint(page, p, l.size());
        for (int i = 0; i < l.size(); i++) {
            p = putVarint(page, p, symbols.intern(l.name(i)));
            p = putVarint(page, p, symbols.intern(l.value(i)));
        }
        used = (used & ~(PAGE - 1)) + p;
        count++;
        if (count * 4L > slots.length * 3L) {
            rehash(slots.length * 2);
        }
        insertSlot(slots, ref, hash(ref));
    }

    /** The ref of {@code l}, or -1. */
    int find(Labels l) {
        int mask = slots.length - 1;
        for (int i = Symbols.spread(l.hashCode()) & mask;; i = (i + 1) & mask) {
            int ref = slots[i] - 1;
            if (ref < 0) {
                return -1;
            }
            if (sameAs(ref, l)) {
                return ref;
            }
        }
    }

    boolean has(int ref) {
        return ref >= 0 && ref < size && offsets[ref] >= 0;
    }

    /** The label set of {@code ref}, or null for a gap. */
    Labels labels(int ref) {
        if (!has(ref)) {
            return null;
        }
        byte[] arena = pages[offsets[ref] >>> PAGE_BITS];
        int p = offsets[ref] & (PAGE - 1);
        int pairs = varint(arena, p);
        p += varintLength(arena, p);
        String[] kv = new String[2 * pairs];
        for (int i = 0; i < kv.length; i++) {
            kv[i] = symbols.get(varint(arena, p));
            p += varintLength(arena, p);
        }
        return Labels.ofSorted(kv);
    }

    /** The value symbol of label {@code nameId} in {@code ref}, or -1 when the series has none. */
    int valueOf(int ref, int nameId) {
        byte[] arena = pages[offsets[ref] >>> PAGE_BITS];
        int p = offsets[ref] & (PAGE - 1);
        int pairs = varint(arena, p);
        p += varintLength(arena, p);
        for (int i = 0; i < pairs; i++) {
            int name = varint(arena, p);
            p += varintLength(arena, p);
            if (name == nameId) {
                return varint(arena, p);
            }
            p += varintLength(arena, p);
        }
        return -1;
    }

    /** One past the highest ref held (refs below it may be gaps). */
    int size() {
        return size;
    }

    /** Series held (gaps not counted). */
    int count() {
        return count;
    }

    /** Bytes of the arrays held, for the figures a benchmark prints. */
    long bytes() {
        return (long) PAGE * ((used >>> PAGE_BITS) + 1) + 4L * offsets.length + 4L * slots.length;
    }

    /** {@link Labels#hashCode()} of the series, computed on its symbols. */
    private int hash(int ref) {
        byte[] arena = pages[offsets[ref] >>> PAGE_BITS];
        int p = offsets[ref] & (PAGE - 1);
        int n = 2 * varint(arena, p);
        p += varintLength(arena, p);
        int h = 1;
        for (int i = 0; i < n; i++) {
            h = 31 * h + symbols.get(varint(arena, p)).hashCode();
            p += varintLength(arena, p);
        }
        return h;
    }

    private boolean sameAs(int ref, Labels l) {
        byte[] arena = pages[offsets[ref] >>> PAGE_BITS];
        int p = offsets[ref] & (PAGE - 1);
        int pairs = varint(arena, p);
        if (pairs != l.size()) {
            return false;
        }
        p += varintLength(arena, p);
        for (int i = 0; i < pairs; i++) {
            if (!symbols.get(varint(arena, p)).equals(l.name(i))) {
                return false;
            }
            p += varintLength(arena, p);
            if (!symbols.get(varint(arena, p)).equals(l.value(i))) {
                return false;
            }
            p += varintLength(arena, p);
        }
        return true;
    }

    private void rehash(int capacity) {
        int[] bigger = new int[capacity];
        for (int ref = 0; ref < size; ref++) {
            if (offsets[ref] >= 0) {
                insertSlot(bigger, ref, hash(ref));
            }
        }
        slots = bigger;
    }

    private static void insertSlot(int[] slots, int ref, int hash) {
        int mask = slots.length - 1;
        int i = Symbols.spread(hash) & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = ref + 1;
    }

    /** The page the next series (at most {@code bytes} long) goes into, moving {@link #used} to a new page if needed. */
    private byte[] room(int bytes) {
        if (bytes > PAGE) {
            throw new IllegalStateException("BUG: a series of " + bytes + " bytes of symbol ids; at most " + PAGE + " fit a page");
        }
        int page = used >>> PAGE_BITS;
        if ((used & (PAGE - 1)) + bytes > PAGE) {
            page++;
            if (page >= (1 << (31 - PAGE_BITS))) {
                throw new IllegalStateException("series index arena full at " + count + " series (2 GiB of symbol ids)");
            }
            used = page << PAGE_BITS;
        }
        if (page >= pages.length) {
            pages = Arrays.copyOf(pages, pages.length * 2);
        }
        if (pages[page] == null) {
            pages[page] = new byte[PAGE];
        }
        return pages[page];
    }

    private static int putVarint(byte[] b, int at, int v) {
        while ((v & ~0x7F) != 0) {
            b[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[at++] = (byte) v;
        return at;
    }

    private static int varint(byte[] b, int at) {
        int v = 0;
        for (int shift = 0;; shift += 7) {
            byte x = b[at++];
            v |= (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
        }
    }

    private static int varintLength(byte[] b, int at) {
        int n = 1;
        while (b[at++] < 0) {
            n++;
        }
        return n;
    }
}
