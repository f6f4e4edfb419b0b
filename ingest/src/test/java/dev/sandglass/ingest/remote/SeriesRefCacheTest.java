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
}
