package dev.sandglass.ingest.scrape;

import java.util.Arrays;

/**
 * A target's scrape cache, as Prometheus keeps one: from the raw series text of a line (the bytes
 * before the value) to its series ref, so a series seen before costs a hash and a byte compare:
 * no label parsing, no String, no index lookup. Flat: the keys in one byte arena, the rest in
 * parallel arrays indexed by entry, and an open-addressing table of entry numbers, so a target
 * of 1,000 series is a dozen objects for the collector to trace instead of 2,000. Entries are
 * numbered 0..size-1; {@link #retainSeenIn} renumbers them. One thread at a time.
 */
final class SeriesCache {
    private byte[] arena = new byte[4096];
    private int arenaUsed;
    private int[] keyOff = new int[16];
    private int[] keyLen = new int[16];
    private int[] hashes = new int[16];
    private long[] refs = new long[16];
    /** The scrape that last saw the entry, and the one before it (-1: none). */
    private int[] lastIter = new int[16];
    private int[] prevIter = new int[16];
    /** No explicit timestamp when first seen: staleness applies. */
    private boolean[] tracked = new boolean[16];
    private int size;
    /** Slot -> entry + 1 (0: empty). */
    private int[] table = new int[64];

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

    /** The entry for {@code b[s..e)} with hash {@code h}, or -1. */
    int find(byte[] b, int s, int e, int h) {
        int mask = table.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int en = table[i] - 1;
            if (en < 0) {
                return -1;
            }
            if (hashes[en] == h && Arrays.equals(arena, keyOff[en], keyOff[en] + keyLen[en], b, s, e)) {
                return en;
            }
        }
    }

    /** Adds an entry for {@code b[s..e)} (not present); it has not been seen by any scrape yet. */
    int add(byte[] b, int s, int e, int h, long ref, boolean isTracked) {
        if ((size + 1) * 4 > table.length * 3) {
            table = new int[table.length * 2];
            for (int en = 0; en < size; en++) {
                insert(en);
            }
        }
        if (size == refs.length) {
            int cap = size * 2;
            keyOff = Arrays.copyOf(keyOff, cap);
            keyLen = Arrays.copyOf(keyLen, cap);
            hashes = Arrays.copyOf(hashes, cap);
            refs = Arrays.copyOf(refs, cap);
            lastIter = Arrays.copyOf(lastIter, cap);
            prevIter = Arrays.copyOf(prevIter, cap);
            tracked = Arrays.copyOf(tracked, cap);
        }
        int len = e - s;
        if (arenaUsed + len > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + len));
        }
        System.arraycopy(b, s, arena, arenaUsed, len);
        int en = size++;
        keyOff[en] = arenaUsed;
        keyLen[en] = len;
        arenaUsed += len;
        hashes[en] = h;
        refs[en] = ref;
        lastIter[en] = -1;
        prevIter[en] = -1;
        tracked[en] = isTracked;
        insert(en);
        return en;
    }

    private void insert(int en) {
        int mask = table.length - 1;
        int i = hashes[en] & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = en + 1;
    }

    long ref(int en) {
        return refs[en];
    }

    boolean tracked(int en) {
        return tracked[en];
    }

    int lastIter(int en) {
        return lastIter[en];
    }

    int prevIter(int en) {
        return prevIter[en];
    }

    /** Scrape {@code iter} saw the entry. */
    void see(int en, int iter) {
        prevIter[en] = lastIter[en];
        lastIter[en] = iter;
    }

    /**
     * Forgets the series not seen in scrape {@code iter} (Prometheus's cache flush after a
     * successful scrape): the entries left are renumbered in order, the arena compacted, and the
     * arrays shrunk when the target lost most of its series.
     */
    void retainSeenIn(int iter) {
        int kept = 0;
        for (int en = 0; en < size; en++) {
            if (lastIter[en] == iter) {
                kept++;
            }
        }
        if (kept == size) {
            return;
        }
        int cap = Math.max(16, Integer.highestOneBit(Math.max(1, kept)) * 2);
        int[] off = new int[cap];
        int[] len = new int[cap];
        int[] hs = new int[cap];
        long[] rs = new long[cap];
        int[] li = new int[cap];
        int[] pi = new int[cap];
        boolean[] tr = new boolean[cap];
        int bytes = 0;
        for (int en = 0; en < size; en++) {
            if (lastIter[en] == iter) {
                bytes += keyLen[en];
            }
        }
        byte[] ar = new byte[Math.max(4096, bytes)];
        int n = 0;
        int used = 0;
        for (int en = 0; en < size; en++) {
            if (lastIter[en] != iter) {
                continue;
            }
            System.arraycopy(arena, keyOff[en], ar, used, keyLen[en]);
            off[n] = used;
            len[n] = keyLen[en];
            used += keyLen[en];
            hs[n] = hashes[en];
            rs[n] = refs[en];
            li[n] = lastIter[en];
            pi[n] = prevIter[en];
            tr[n] = tracked[en];
            n++;
        }
        arena = ar;
        arenaUsed = used;
        keyOff = off;
        keyLen = len;
        hashes = hs;
        refs = rs;
        lastIter = li;
        prevIter = pi;
        tracked = tr;
        size = n;
        int slots = 64;
        while (n * 2 > slots) { // at most half full after a flush
            slots *= 2;
        }
        table = new int[slots];
        for (int en = 0; en < n; en++) {
            insert(en);
        }
    }
}
