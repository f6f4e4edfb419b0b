package dev.sandglass.ingest.remote;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Series refs by the raw bytes that name a series (remote write: the protobuf bytes of its labels;
 * OTLP: its metric and attributes as sent), shared by the requests of one receiver. A sender names
 * the same series in every request, byte for byte, so a known series costs one hash over its bytes
 * and one comparison, instead of decoding strings and building and hashing a label set twice (as
 * Prometheus's scrape cache keys series by the raw text of a line).
 *
 * <p>Compact and allocation-free on a hit: keys are copied into one byte arena, slots are an
 * open-addressing {@code long[]} (hash bits and entry number). Lookups take no lock: a slot is
 * published with release semantics after its entry is written, and a larger table replaces the
 * whole table object; a lookup that races a replacement just misses and the caller asks the
 * index. Bounded by {@code maxBytes}: emptied when full (refs are only looked up again).
 *
 * <p>A sender also names its series in the same order in every request, so a request reads the
 * cache through a {@link Cursor}: each entry remembers the entry that followed it last time, and
 * the cursor tries that one first (one comparison over bytes that lie next to the last ones in
 * the arena), falling back to the hash. A profile of bench/protocols.sh put 27-44% of serve's CPU
 * in remote-write passes on the hashed lookup, most of it on the random read of its slot.
 */
public final class SeriesRefCache {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle NEXT = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Bytes counted per entry besides its key: its slots (at most half full), offset, length, next and ref. */
    private static final int ENTRY_OVERHEAD = 2 * 8 + 4 * 4;

    private static final class Table {
        final long[] slots;
        final int mask;
        final byte[] arena;
        final int[] offsets;
        final int[] lengths;
        final long[] refs;
        /** Per entry: 1 + the entry a request named next after it (0: none yet). */
        final int[] next;
        /** Shared by a table and the larger copies made of it, whose entries keep their numbers. */
        final Object lineage;
        int arenaUsed;
        int entries;

        Table(int slotCount, int arenaBytes, Object lineage) {
            this.lineage = lineage;
            slots = new long[slotCount];
            mask = slotCount - 1;
            arena = new byte[arenaBytes];
            offsets = new int[slotCount / 2];
            lengths = new int[slotCount / 2];
            refs = new long[slotCount / 2];
            next = new int[slotCount / 2];
        }
    }

    /**
     * One request's place in the cache (not thread-safe: one per request, or per decoding
     * thread). Its lookups and puts are those of the cache, tried in the sender's order first.
     */
    public final class Cursor {
        private Object lineage;
        private int last = -1;

        private Cursor() {
        }

        /** The ref of the key {@code buf[from, to)}, or -1 when not cached. */
        public long get(byte[] buf, int from, int to) {
            Table t = table;
            if (lineage != t.lineage) {
                lineage = t.lineage;
                last = -1;
            }
            int len = to - from;
            if (last >= 0) {
                int e = (int) NEXT.getAcquire(t.next, last) - 1;
                if (e >= 0 && t.lengths[e] == len && Arrays.equals(t.arena, t.offsets[e], t.offsets[e] + len, buf, from, to)) {
                    last = e;
                    return t.refs[e];
                }
            }
            int e = find(t, buf, from, to, hash(buf, from, to));
            if (e < 0) {
                return -1;
            }
            follow(t, e);
            return t.refs[e];
        }

        /** Remembers {@code ref} for the key {@code buf[from, to)}, as the entry after the last one this cursor saw. */
        public void put(byte[] buf, int from, int to, long ref) {
            Table t;
            int e;
            synchronized (SeriesRefCache.this) {
                e = insert(buf, from, to, ref);
                t = table;
            }
            if (lineage != t.lineage) {
                lineage = t.lineage;
                last = -1;
            }
            follow(t, e);
        }

        private void follow(Table t, int e) {
            if (last >= 0 && last < t.entries && (int) NEXT.getAcquire(t.next, last) != e + 1) {
                NEXT.setRelease(t.next, last, e + 1);
            }
            last = e;
        }
    }

    private final long maxBytes;
    private volatile Table table = new Table(1024, 64 << 10, new Object());

    /** {@code maxBytes}: keys and their bookkeeping together; past it the cache starts over empty. */
    public SeriesRefCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** A bound for a receiver's cache: a sixteenth of the heap, at most 64 MiB, at least 1 MiB. */
    public static long defaultMaxBytes() {
        return Math.max(1L << 20, Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16));
    }

    /** A cursor for one request's lookups and puts. */
    public Cursor cursor() {
        return new Cursor();
    }

    /** The ref of the key {@code buf[from, to)}, or -1 when not cached. */
    public long get(byte[] buf, int from, int to) {
        Table t = table;
        int e = find(t, buf, from, to, hash(buf, from, to));
        return e < 0 ? -1 : t.refs[e];
    }

    /** The entry of the key {@code buf[from, to)} in {@code t}, or -1. */
    private static int find(Table t, byte[] buf, int from, int to, long h) {
        int tag = (int) (h >>> 32);
        int len = to - from;
        for (int i = (int) h & t.mask;; i = (i + 1) & t.mask) {
            long s = (long) SLOT.getAcquire(t.slots, i);
            if (s == 0) {
                return -1;
            }
            if ((int) (s >>> 32) == tag) {
                int e = (int) s - 1;
                int off = t.offsets[e];
                if (t.lengths[e] == len && Arrays.equals(t.arena, off, off + len, buf, from, to)) {
                    return e;
                }
            }
        }
    }

    /** Remembers {@code ref} for the key {@code buf[from, to)}. */
    public synchronized void put(byte[] buf, int from, int to, long ref) {
        insert(buf, from, to, ref);
    }

    /** Inserts the key (unless there) into the table, replacing it when needed; returns its entry in {@link #table}. */
    private int insert(byte[] buf, int from, int to, long ref) {
        long h = hash(buf, from, to);
        Table t = table;
        int found = find(t, buf, from, to, h);
        if (found >= 0) {
            return found;
        }
        int len = to - from;
        if ((long) t.arenaUsed + len + (long) (t.entries + 1) * ENTRY_OVERHEAD > maxBytes) {
            t = new Table(1024, Math.max(64 << 10, len), new Object());
            table = t;
        } else if (t.entries + 1 > t.offsets.length || t.arenaUsed + len > t.arena.length) {
            t = grown(t, len);
            table = t;
        }
        int e = t.entries++;
        System.arraycopy(buf, from, t.arena, t.arenaUsed, len);
        t.offsets[e] = t.arenaUsed;
        t.lengths[e] = len;
        t.refs[e] = ref;
        t.arenaUsed += len;
        insertSlot(t, h, e);
        return e;
    }

    private static void insertSlot(Table t, long h, int e) {
        int i = (int) h & t.mask;
        while (t.slots[i] != 0) {
            i = (i + 1) & t.mask;
        }
        SLOT.setRelease(t.slots, i, ((h >>> 32) << 32) | (e + 1L));
    }

    /** A copy with room for more entries and key bytes, published whole by the caller. */
    private static Table grown(Table t, int len) {
        int slots = t.entries + 1 > t.offsets.length ? t.slots.length * 2 : t.slots.length;
        long arena = t.arena.length;
        while (arena < t.arenaUsed + (long) len) {
            arena *= 2;
        }
        Table g = new Table(slots, (int) Math.min(Integer.MAX_VALUE - 16, arena), t.lineage);
        System.arraycopy(t.arena, 0, g.arena, 0, t.arenaUsed);
        System.arraycopy(t.offsets, 0, g.offsets, 0, t.entries);
        System.arraycopy(t.lengths, 0, g.lengths, 0, t.entries);
        System.arraycopy(t.refs, 0, g.refs, 0, t.entries);
        System.arraycopy(t.next, 0, g.next, 0, t.entries);
        g.arenaUsed = t.arenaUsed;
        g.entries = t.entries;
        for (int e = 0; e < t.entries; e++) {
            insertSlot(g, hash(g.arena, g.offsets[e], g.offsets[e] + g.lengths[e]), e);
        }
        return g;
    }

    public int size() {
        return table.entries;
    }

    /** 64-bit hash of {@code b[from, to)}, eight bytes at a time. */
    static long hash(byte[] b, int from, int to) {
        long h = 0x9E3779B97F4A7C15L ^ (to - from);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(b, i) * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        }
        long tail = 0;
        for (int k = 0; i < to; i++, k += 8) {
            tail |= (b[i] & 0xffL) << k;
        }
        h = Long.rotateLeft(h ^ (tail * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }
}
