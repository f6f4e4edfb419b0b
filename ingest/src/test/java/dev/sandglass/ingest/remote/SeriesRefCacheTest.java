package dev.sandglass.ingest.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SeriesRefCacheTest {
    static byte[] key(int i) {
        return ("\n\u0012\n\b__name__\u0012\u0006metric\n\u000b\n\u0003sbx\u0012\u0004" + String.format("%08d", i)).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void everyKeyFindsItsOwnRefThroughGrowth() {
        SeriesRefCache c = new SeriesRefCache(64L << 20);
        Random rnd = new Random(1);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            byte[] k = i % 2 == 0 ? key(i) : new byte[rnd.nextInt(40)];
            if (i % 2 != 0) {
                rnd.nextBytes(k);
                k = (i + ":" + new String(k, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
            }
            keys.add(k);
            c.put(k, 0, k.length, i);
        }
        assertEquals(50_000, c.size());
        for (int i = 0; i < keys.size(); i++) {
            byte[] k = keys.get(i);
            byte[] framed = new byte[k.length + 6];
            System.arraycopy(k, 0, framed, 3, k.length);
            assertEquals(i, c.get(framed, 3, 3 + k.length), "key " + i + " looked up inside a larger array");
        }
        byte[] k = key(7);
        assertEquals(-1, c.get(k, 0, k.length - 1), "a prefix of a key is another key");
        k[k.length - 1] = 'x';
        assertEquals(-1, c.get(k, 0, k.length), "one byte differs");
    }

    @Test
    void startsOverEmptyWhenFull() {
        SeriesRefCache c = new SeriesRefCache(100_000);
        for (int i = 0; i < 10_000; i++) {
            byte[] k = key(i);
            c.put(k, 0, k.length, i);
            assertTrue(c.size() * 60L < 100_000, "bounded: " + c.size() + " entries");
        }
        byte[] last = key(9_999);
        assertEquals(9_999, c.get(last, 0, last.length));
    }

    @Test
    void readersRacingAWriterSeeTheRightRefOrAMiss() throws Exception {
        SeriesRefCache c = new SeriesRefCache(64L << 20);
        AtomicReference<String> wrong = new AtomicReference<>();
        byte[][] keys = new byte[20_000][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = key(i);
        }
        Thread[] readers = new Thread[2];
        for (int r = 0; r < readers.length; r++) {
            readers[r] = new Thread(() -> {
                for (int round = 0; round < 20 && wrong.get() == null; round++) {
                    for (int i = 0; i < keys.length; i++) {
                        byte[] k = keys[i];
                        long got = c.get(k, 0, k.length);
                        if (got != -1 && got != i) {
                            wrong.set("key " + i + " gave " + got);
                        }
                    }
                }
            });
            readers[r].start();
        }
        for (int i = 0; i < keys.length; i++) {
            c.put(keys[i], 0, keys[i].length, i);
        }
        for (Thread t : readers) {
            t.join();
        }
        assertEquals(null, wrong.get());
        assertEquals(20_000, c.size());
    }

    /** One request through a cursor, as a decoder reads it: each key looked up, put when missing. */
    private static long[] request(SeriesRefCache c, List<byte[]> keys, long newRef) {
        SeriesRefCache.Cursor cur = c.cursor();
        long[] got = new long[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            byte[] k = keys.get(i);
            got[i] = cur.get(k, 0, k.length);
            if (got[i] < 0) {
                cur.put(k, 0, k.length, newRef + i);
            }
        }
        return got;
    }

    @Test
    void aCursorFollowsTheSendersOrderButNeverTrustsIt() {
        SeriesRefCache c = new SeriesRefCache(64L << 20);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add(key(i));
        }
        assertEquals(-1, request(c, keys, 1000)[0], "first request: all new");
        long[] again = request(c, keys, 5000);
        for (int i = 0; i < keys.size(); i++) {
            assertEquals(1000 + i, again[i], "same order: key " + i);
        }
        // The order changes, a key is left out and one of the same length (one byte differs from
        // the key that used to follow) is new: the hint points at the old neighbour, whose bytes
        // do not match, so the new key is a miss, never the neighbour's ref.
        List<byte[]> changed = new ArrayList<>(keys);
        java.util.Collections.swap(changed, 10, 60);
        changed.remove(30);
        byte[] lookalike = key(31);
        lookalike[lookalike.length - 1] = 'x';
        changed.add(30, lookalike);
        long[] got = request(c, changed, 9000);
        for (int i = 0; i < changed.size(); i++) {
            long want = changed.get(i) == lookalike ? -1 : 1000 + Integer.parseInt(new String(changed.get(i), StandardCharsets.ISO_8859_1)
                    .substring(changed.get(i).length - 8));
            assertEquals(want, got[i], "changed order: position " + i);
        }
        assertEquals(9030, c.get(lookalike, 0, lookalike.length), "the new key was put with its own ref");
        got = request(c, changed, 20_000);
        assertEquals(9030, got[30]);
        assertEquals(1060, got[10]);
        assertEquals(1010, got[60]);
    }

    @Test
    void aCursorStaysRightThroughGrowthAndStartingOver() {
        for (long max : new long[] {64L << 20, 200_000}) {
            SeriesRefCache c = new SeriesRefCache(max);
            List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < 8_000; i++) {
                keys.add(key(i));
            }
            request(c, keys, 0);
            for (int round = 0; round < 3; round++) {
                long[] got = request(c, keys, 100_000);
                for (int i = 0; i < keys.size(); i++) {
                    byte[] k = keys.get(i);
                    long now = c.get(k, 0, k.length);
                    assertTrue(got[i] == -1 || got[i] == i || got[i] == 100_000 + i, "max " + max + " key " + i + " gave " + got[i]);
                    assertTrue(now == -1 || now == got[i] || got[i] == -1, "cursor and hash agree on key " + i);
                }
            }
        }
    }
}
