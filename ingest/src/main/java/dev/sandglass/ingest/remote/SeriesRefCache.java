package dev.sandglass.ingest.remote;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Series refs by the raw protobuf bytes of a series' labels, shared by the requests of one
 * receiver: a sender names the same series in every request, byte for byte, so a known series
 * costs a hash over its bytes instead of decoding its strings, building and hashing a label set
 * twice. Bounded: emptied when it outgrows {@code maxEntries} (refs are only looked up again).
 */
public final class SeriesRefCache {
    private final ConcurrentHashMap<Key, Long> refs = new ConcurrentHashMap<>();
    private final int maxEntries;

    public SeriesRefCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    /** The ref of the labels in {@code buf[from, to)}, or -1 when not cached. */
    long get(byte[] buf, int from, int to) {
        Long r = refs.get(new Key(buf, from, to, hash(buf, from, to)));
        return r == null ? -1 : r;
    }

    void put(byte[] buf, int from, int to, long ref) {
        if (refs.size() >= maxEntries) {
            refs.clear();
        }
        byte[] copy = Arrays.copyOfRange(buf, from, to);
        refs.put(new Key(copy, 0, copy.length, hash(copy, 0, copy.length)), ref);
    }

    int size() {
        return refs.size();
    }

    private static int hash(byte[] b, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + b[i];
        }
        return h;
    }

    private static final class Key {
        final byte[] buf;
        final int from;
        final int to;
        final int hash;

        Key(byte[] buf, int from, int to, int hash) {
            this.buf = buf;
            this.from = from;
            this.to = to;
            this.hash = hash;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(buf, from, to, k.buf, k.from, k.to);
        }
    }
}
