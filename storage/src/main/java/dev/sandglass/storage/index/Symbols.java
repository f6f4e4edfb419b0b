package dev.sandglass.storage.index;

import java.nio.charset.StandardCharsets;

/**
 * Label names and values interned to dense ids: each distinct string is held once, however many
 * series carry it. The strings are held as UTF-8 in {@link ScratchPages} (outside the heap), with
 * their offsets, their {@link String#hashCode()}s and an open-addressing lookup over ids: about
 * 20 bytes plus the text a symbol, where a String and its array on the heap took ~70 and, through
 * the serial collector's sizing (free ratio, a young generation a third of the heap), more than
 * that again of resident heap. Sandbox churn makes most symbols run ids: a million series carried
 * ~105,000 of them, 7.4 MB of live heap. {@link #get} decodes a String, keeping the last few
 * thousand in a small cache (names and common values are asked for again and again). Not
 * thread-safe: SeriesIndex guards it.
 */
final class Symbols {
    private static final int CACHE = 1 << 12;
    /** Varint length, then the UTF-8 bytes, per symbol. */
    private final PagedBytes text;
    private final PagedInts offsets;
    private final PagedInts hashes;
    /** Ids by the hash of their strings. */
    private final LookupSlots slots;
    private int size;
    private final String[] cached = new String[CACHE];
    private final int[] cachedIds = new int[CACHE];
    /** Room {@link #decode} reads a symbol's bytes into. */
    private byte[] scratchBytes = new byte[64];

    /** Symbols in pages of {@code scratch}. */
    Symbols(ScratchPages scratch) {
        this.text = new PagedBytes(scratch);
        this.offsets = new PagedInts(scratch);
        this.hashes = new PagedInts(scratch);
        this.slots = new LookupSlots(scratch);
    }

    /** Symbols in pages on the heap (tests). */
    Symbols() {
        this(ScratchPages.onHeap());
    }

    /** The id of {@code s}, adding it when new. */
    int intern(String s) {
        int id = find(s);
        if (id >= 0) {
            return id;
        }
        id = size;
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        offsets.ensure(id + 1L);
        hashes.ensure(id + 1L);
        offsets.set(id, text.size());
        hashes.set(id, s.hashCode());
        text.putVarint(utf8.length);
        for (byte b : utf8) {
            text.put(b);
        }
        size++;
        slots.add(id, s.hashCode(), size, size, any -> true, hashes::get);
        remember(id, s);
        return id;
    }

    /** The id of {@code s}, or -1 when no series carries it. */
    int find(String s) {
        int h = s.hashCode();
        for (int i = slots.first(h);; i = slots.next(i)) {
            int id = slots.get(i);
            if (id < 0) {
                return -1;
            }
            if (hashes.get(id) == h && is(id, s)) {
                return id;
            }
        }
    }

    /** The string of symbol {@code id}. */
    String get(int id) {
        int k = id & (CACHE - 1);
        if (cachedIds[k] == id + 1) {
            return cached[k];
        }
        String s = decode(id);
        remember(id, s);
        return s;
    }

    /**
     * The string of symbol {@code id}, decoded without touching the cache: for walks over many
     * symbols (all the values of a label), which would only push the common ones out of it.
     */
    String decode(int id) {
        long where = where(id);
        int n = (int) (where >>> 32);
        if (n > scratchBytes.length) {
            scratchBytes = new byte[Math.max(n, 2 * scratchBytes.length)];
        }
        text.get((int) where, scratchBytes, n);
        return new String(scratchBytes, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * Symbols {@code a} and {@code b} compared by their UTF-8 bytes (unsigned), in place: the
     * order Prometheus sorts label values in ({@link dev.sandglass.storage.api.Utf8Order}).
     */
    int compare(int a, int b) {
        if (a == b) {
            return 0;
        }
        long wa = where(a);
        long wb = where(b);
        int at = (int) wa;
        int bt = (int) wb;
        int na = (int) (wa >>> 32);
        int nb = (int) (wb >>> 32);
        int n = Math.min(na, nb);
        for (int i = 0; i < n; i++) {
            int x = text.get(at + i) & 0xFF;
            int y = text.get(bt + i) & 0xFF;
            if (x != y) {
                return x - y;
            }
        }
        return na - nb;
    }

    /** Where symbol {@code id}'s UTF-8 bytes start (low 32 bits) and how many there are (high 32). */
    private long where(int id) {
        int at = offsets.get(id);
        int n = 0;
        for (int shift = 0;; shift += 7) {
            byte b = text.get(at++);
            n |= (b & 0x7F) << shift;
            if (b >= 0) {
                return (long) n << 32 | at;
            }
        }
    }

    /** {@link String#hashCode()} of symbol {@code id}, without decoding it. */
    int hash(int id) {
        return hashes.get(id);
    }

    /** Whether symbol {@code id} is {@code s}: compared in place for ASCII, decoded otherwise. */
    boolean is(int id, String s) {
        int k = id & (CACHE - 1);
        if (cachedIds[k] == id + 1) {
            return cached[k].equals(s);
        }
        long where = where(id);
        int at = (int) where;
        int n = (int) (where >>> 32);
        if (n < s.length()) {
            return false; // UTF-8 takes at least a byte a char
        }
        for (int i = 0; i < n; i++) {
            byte b = text.get(at + i);
            if (b < 0) {
                return get(id).equals(s); // not ASCII: compare the decoded string
            }
            if (i >= s.length() || s.charAt(i) != b) {
                return false;
            }
        }
        return n == s.length();
    }

    int size() {
        return size;
    }

    /** Bytes of the tables held (outside the heap, but for the cache), for the figures a benchmark prints. */
    long bytes() {
        return text.size() + 4L * offsets.capacity() + 4L * hashes.capacity() + slots.bytes();
    }

    /** Forgets the decoded strings kept (they are decoded again when asked for). */
    void dropCache() {
        java.util.Arrays.fill(cached, null);
        java.util.Arrays.fill(cachedIds, 0);
    }

    private void remember(int id, String s) {
        int k = id & (CACHE - 1);
        cached[k] = s;
        cachedIds[k] = id + 1;
    }

    static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
