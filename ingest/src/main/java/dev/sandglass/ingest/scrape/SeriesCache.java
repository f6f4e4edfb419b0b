package dev.sandglass.ingest.scrape;

import java.util.Arrays;

/**
 * A target's scrape cache, as Prometheus keeps one: from the raw series text of a line (the bytes
 * before the value) to what it maps to, so a series seen before costs a hash and a byte compare:
 * no label parsing, no String, no index lookup. Open addressing over the bytes themselves (no
 * per-line key object); sized to the target's series. One thread at a time.
 */
final class SeriesCache {
    /** What one series text of this target maps to. */
    static final class Entry {
        final byte[] key;
        final int hash;
        long ref;
        int lastIter = -1;
        boolean tracked; // no explicit timestamp: staleness applies

        Entry(byte[] key, int hash) {
            this.key = key;
            this.hash = hash;
        }
    }

    private Entry[] table = new Entry[64];
    private int size;

    int size() {
        return size;
    }

    static int hash(byte[] b, int s, int e) {
        int h = 1;
        int i = s;
        for (; i + 3 < e; i += 4) {
            h = 31 * 31 * 31 * 31 * h + 31 * 31 * 31 * b[i] + 31 * 31 * b[i + 1] + 31 * b[i + 2] + b[i + 3];
        }
        for (; i < e; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }

    /** The entry for {@code b[s..e)} with hash {@code h}, or null. */
    Entry get(byte[] b, int s, int e, int h) {
        Entry[] t = table;
        int mask = t.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Entry en = t[i];
            if (en == null) {
                return null;
            }
            if (en.hash == h && Arrays.equals(en.key, 0, en.key.length, b, s, e)) {
                return en;
            }
        }
    }

    /** Adds an entry for {@code b[s..e)} (not present). */
    Entry add(byte[] b, int s, int e, int h) {
        if ((size + 1) * 4 > table.length * 3) {
            rehash(table.length * 2);
        }
        Entry en = new Entry(Arrays.copyOfRange(b, s, e), h);
        insert(table, en);
        size++;
        return en;
    }

    private static void insert(Entry[] t, Entry en) {
        int mask = t.length - 1;
        int i = en.hash & mask;
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = en;
    }

    private void rehash(int capacity) {
        Entry[] old = table;
        Entry[] t = new Entry[capacity];
        for (Entry en : old) {
            if (en != null) {
                insert(t, en);
            }
        }
        table = t;
    }

    /**
     * Forgets the series not seen in scrape {@code iter} (Prometheus's cache flush after a
     * successful scrape), and gives back room when the target shrank a lot.
     */
    void retainSeenIn(int iter) {
        int kept = 0;
        for (Entry en : table) {
            if (en != null && en.lastIter == iter) {
                kept++;
            }
        }
        if (kept == size) {
            return;
        }
        int capacity = 64;
        while (kept * 2 > capacity) { // at most half full after a flush
            capacity *= 2;
        }
        Entry[] t = new Entry[capacity];
        for (Entry en : table) {
            if (en != null && en.lastIter == iter) {
                insert(t, en);
            }
        }
        table = t;
        size = kept;
    }
}
