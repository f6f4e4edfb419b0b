package dev.sandglass.storage.index;

import dev.sandglass.storage.api.Labels;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Label sets by ref, and refs by label set, in a few primitive tables: each series is a run of
 * varint symbol ids ({@code pairs, name0, value0, name1, value1 ...}) in one byte arena, found by
 * its offset; the lookup by label set is open addressing over refs, hashing and comparing the
 * symbols in place. About 12 to 20 bytes of arena, 4 of offset and 5.3 to 8 of lookup slots per
 * series, where a {@link Labels} object and a hash map entry cost several hundred. The three
 * tables are in {@link ScratchPages} (memory-mapped, outside the heap): the heap keeps only their
 * page lists, so a million series leave the heap to queries. A {@link Labels} is made only when
 * asked for. Not thread-safe: SeriesIndex guards it.
 */
final class SeriesTable {
    private static final int PAGE_BITS = ScratchPages.PAGE_BITS;
    private static final int PAGE = ScratchPages.PAGE;
    private final Symbols symbols;
    private final ScratchPages scratch;
    /** The arena in pages of {@link #PAGE} bytes, so it grows without copying; no series straddles two. */
    private ByteBuffer[] pages = new ByteBuffer[16];
    private int used;
    /** Arena offset + 1 per ref; 0 for a gap (a ref lost to damage) or a ref not held yet. */
    private final PagedInts offsets;
    /** One past the highest ref held. */
    private int size;
    private int count;
    /** Refs by the hash of their label sets. */
    private final LookupSlots slots;

    SeriesTable(Symbols symbols, ScratchPages scratch) {
        this.symbols = symbols;
        this.scratch = scratch;
        this.offsets = new PagedInts(scratch);
        this.slots = new LookupSlots(scratch);
    }

    /** Holds {@code l} (its strings interned) as series {@code ref}, which must not be held yet. */
    void put(int ref, Labels l) {
        offsets.ensure(ref + 1L);
        if (ref >= size) {
            size = ref + 1;
        }
        ByteBuffer page = room(5 + l.size() * 10);
        offsets.set(ref, used + 1);
        int p = used & (PAGE - 1);
        p = putVarint(page, p, l.size());
        for (int i = 0; i < l.size(); i++) {
            p = putVarint(page, p, symbols.intern(l.name(i)));
            p = putVarint(page, p, symbols.intern(l.value(i)));
        }
        used = (used & ~(PAGE - 1)) + p;
        count++;
        slots.add(ref, hash(ref), count, size, this::has, this::hash);
    }

    /** The ref of {@code l}, or -1. */
    int find(Labels l) {
        for (int i = slots.first(l.hashCode());; i = slots.next(i)) {
            int ref = slots.get(i);
            if (ref < 0) {
                return -1;
            }
            if (sameAs(ref, l)) {
                return ref;
            }
        }
    }

    boolean has(int ref) {
        return ref >= 0 && ref < size && offsets.get(ref) != 0;
    }

    /** The label set of {@code ref}, or null for a gap. */
    Labels labels(int ref) {
        if (!has(ref)) {
            return null;
        }
        int at = offsets.get(ref) - 1;
        ByteBuffer arena = pages[at >>> PAGE_BITS];
        int p = at & (PAGE - 1);
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
        int at = offsets.get(ref) - 1;
        ByteBuffer arena = pages[at >>> PAGE_BITS];
        int p = at & (PAGE - 1);
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

    /** Bytes of the tables held (outside the heap), for the figures a benchmark prints. */
    long bytes() {
        return (long) PAGE * ((used >>> PAGE_BITS) + 1) + 4L * offsets.capacity() + slots.bytes();
    }

    /** {@link Labels#hashCode()} of the series, computed on its symbols. */
    private int hash(int ref) {
        int at = offsets.get(ref) - 1;
        ByteBuffer arena = pages[at >>> PAGE_BITS];
        int p = at & (PAGE - 1);
        int n = 2 * varint(arena, p);
        p += varintLength(arena, p);
        int h = 1;
        for (int i = 0; i < n; i++) {
            h = 31 * h + symbols.hash(varint(arena, p));
            p += varintLength(arena, p);
        }
        return h;
    }

    private boolean sameAs(int ref, Labels l) {
        int at = offsets.get(ref) - 1;
        ByteBuffer arena = pages[at >>> PAGE_BITS];
        int p = at & (PAGE - 1);
        int pairs = varint(arena, p);
        if (pairs != l.size()) {
            return false;
        }
        p += varintLength(arena, p);
        for (int i = 0; i < pairs; i++) {
            if (!same(varint(arena, p), l.name(i))) {
                return false;
            }
            p += varintLength(arena, p);
            if (!same(varint(arena, p), l.value(i))) {
                return false;
            }
            p += varintLength(arena, p);
        }
        return true;
    }

    private boolean same(int symbol, String s) {
        return symbols.hash(symbol) == s.hashCode() && symbols.is(symbol, s);
    }

    /** The page the next series (at most {@code bytes} long) goes into, moving {@link #used} to a new page if needed. */
    private ByteBuffer room(int bytes) {
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
            pages[page] = scratch.page();
        }
        return pages[page];
    }

    private static int putVarint(ByteBuffer b, int at, int v) {
        while ((v & ~0x7F) != 0) {
            b.put(at++, (byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        b.put(at++, (byte) v);
        return at;
    }

    private static int varint(ByteBuffer b, int at) {
        int v = 0;
        for (int shift = 0;; shift += 7) {
            byte x = b.get(at++);
            v |= (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
        }
    }

    private static int varintLength(ByteBuffer b, int at) {
        int n = 1;
        while (b.get(at++) < 0) {
            n++;
        }
        return n;
    }
}
