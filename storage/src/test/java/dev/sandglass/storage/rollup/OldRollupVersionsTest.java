package dev.sandglass.storage.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.RollupSeries;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Values;
import dev.sandglass.storage.encoding.ValueCodec;
import dev.sandglass.storage.encoding.Varints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Excerpts written by versions 1 and 2 (no changes and resets columns) still read: every other
 * figure exact, changes and resets unknown (NaN), also in a window whose other part a version 3
 * excerpt holds; windows of version 3 parts alone are exact.
 */
class OldRollupVersionsTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    /** Series with resets, repeated values, NaN and staleness markers, about every 7 s over [from, to). */
    private static Map<Integer, Samples> data(long from, long to, long seed) {
        Random rnd = new Random(seed);
        Map<Integer, Samples> out = new HashMap<>();
        for (int ref = 1; ref <= 20; ref++) {
            Samples s = new Samples();
            double v = rnd.nextInt(100);
            for (long t = from + rnd.nextInt(60_000); t < to; t += 2_000 + rnd.nextInt(10_000)) {
                int r = rnd.nextInt(40);
                v = r == 0 ? rnd.nextInt(5) : r < 20 ? v : v + rnd.nextInt(20);
                s.add(t, r == 1 ? Values.STALE_NAN : r == 2 ? Double.NaN : v);
            }
            out.put(ref * 3, s);
        }
        return out;
    }

    private static Map<Integer, Windows> windows(Map<Integer, Samples> data, long res) {
        Map<Integer, Windows> out = new HashMap<>();
        for (var d : data.entrySet()) {
            Windows w = new Windows(res, 8);
            w.addAll(d.getValue().timestamps(), d.getValue().values(), 0, d.getValue().size());
            out.put(d.getKey(), w);
        }
        return out;
    }

    /** The excerpt as version 1 or 2 wrote it: 7 value columns; version 1 without flags and commits. */
    static byte[] older(int version, long res, Map<Integer, Windows> series, long rawFrom, long rawTo) {
        byte[] v3 = RollupCodec.encode(res, series, rawFrom, rawTo);
        RollupCodec.Header h = RollupCodec.header(v3);
        assertEquals(3, v3[0]);
        Varints.Out body = new Varints.Out(1 << 12);
        int n = h.refs().size();
        int[] offset = new int[n];
        int[] length = new int[n];
        long[] scratch = new long[1 << 12];
        for (int i = 0; i < n; i++) {
            Windows w = RollupCodec.decode(v3, h, i);
            offset[i] = body.length();
            body.svarint(w.start[0] / res);
            for (int k = 1; k < w.size; k++) {
                body.uvarint((w.start[k] - w.start[k - 1]) / res);
            }
            for (int k = 0; k < w.size; k++) {
                body.uvarint(w.firstT[k] - w.start[k]);
                body.uvarint(w.lastT[k] - w.firstT[k]);
            }
            for (double[] col : new double[][] {w.count, w.sum, w.min, w.max, w.first, w.last, w.corr}) {
                ValueCodec.encode(col, 0, w.size, body, scratch);
            }
            length[i] = body.length() - offset[i];
        }
        Varints.Out head = new Varints.Out(256 + 20 * n);
        head.byte1(version);
        head.long8(0);
        for (long x : new long[] {res, h.minT(), h.maxT(), rawFrom, rawTo}) {
            head.long8(x);
        }
        if (version >= 2) {
            head.byte1(0); // flags
        }
        head.uvarint(0); // replaced
        if (version >= 2) {
            head.uvarint(0); // committed
        }
        head.uvarint(n);
        for (int i = 0; i < n; i++) {
            head.uvarint(h.refs().get(i));
            head.uvarint(h.windows(i));
            head.uvarint(offset[i]);
            head.uvarint(length[i]);
        }
        int len = head.length();
        byte[] out = new byte[len + body.length()];
        System.arraycopy(head.array(), 0, out, 0, len);
        for (int i = 0; i < 8; i++) {
            out[1 + i] = (byte) ((long) len >>> (8 * i));
        }
        System.arraycopy(body.array(), 0, out, len, body.length());
        return out;
    }

    /** Every series' windows from the store's excerpts of one resolution, merged as readers and compaction merge them. */
    private static RollupSeries read(RollupStore store, int ref, long res) {
        List<Windows> parts = new ArrayList<>();
        try (RollupStore.Reader reader = store.reader()) {
            for (RollupStore.Entry e : store.live(Long.MAX_VALUE)) {
                if (e.header().resolutionMs() == res) {
                    Windows w = e.decode(reader.read(e), ref);
                    if (w != null) {
                        parts.add(w);
                    }
                }
            }
        }
        return Windows.merge(res, parts).toSeries(Labels.of("a", "b"));
    }

    @Test
    void versionOneAndTwoExcerptsStillReadWithChangesAndResetsUnknown() {
        Map<Integer, Samples> data = data(T0, T0 + 3 * 3_600_000L, 11);
        for (int version : new int[] {1, 2}) {
            Path d = dir.resolve("v" + version);
            try (RollupStore store = new RollupStore(d, false)) {
                for (long res : RollupWriter.RESOLUTIONS_MS) {
                    store.append(older(version, res, windows(data, res), 0, 4));
                }
            }
            try (RollupStore store = new RollupStore(d, false)) {
                assertEquals(2, store.counted(Long.MAX_VALUE).size());
                assertTrue(store.coverage(Long.MAX_VALUE).covers(4));
                for (long res : RollupWriter.RESOLUTIONS_MS) {
                    for (var e : data.entrySet()) {
                        RollupSeries r = read(store, e.getKey(), res);
                        String what = "version " + version + " series " + e.getKey() + " at " + res;
                        BruteForce.assertSame(BruteForce.windows(e.getValue(), res), r, what, false);
                        for (int k = 0; k < r.size(); k++) {
                            assertTrue(Double.isNaN(r.changes()[k]) && Double.isNaN(r.resets()[k]) && !r.hasChanges(k), what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aWindowWithAVersionTwoPartIsUnknownAndTheVersionThreeWindowsAfterItExact() {
        // Cut at 1h 2m 30s: inside a 5-minute and a 1-hour window; before it written by version 2, after it by version 3.
        long cut = T0 / 3_600_000L * 3_600_000L + 3_750_000L;
        Map<Integer, Samples> all = data(T0, T0 + 4 * 3_600_000L, 12);
        Map<Integer, Samples> before = new HashMap<>();
        Map<Integer, Samples> after = new HashMap<>();
        for (var e : all.entrySet()) {
            Samples s = e.getValue();
            int at = s.lowerBound(cut);
            Samples a = new Samples();
            a.addAll(s.timestamps(), s.values(), 0, at);
            Samples b = new Samples();
            b.addAll(s.timestamps(), s.values(), at, s.size());
            before.put(e.getKey(), a);
            after.put(e.getKey(), b);
        }
        try (RollupStore store = new RollupStore(dir, false)) {
            for (long res : RollupWriter.RESOLUTIONS_MS) {
                store.append(older(2, res, windows(before, res), 0, 0));
            }
            for (long res : RollupWriter.RESOLUTIONS_MS) {
                store.append(RollupCodec.encode(res, windows(after, res), 1, 1));
            }
        }
        try (RollupStore store = new RollupStore(dir, false)) {
            for (long res : RollupWriter.RESOLUTIONS_MS) {
                long cutWindow = Windows.windowOf(cut, res);
                for (var e : all.entrySet()) {
                    RollupSeries r = read(store, e.getKey(), res);
                    List<BruteForce.Window> want = BruteForce.windows(e.getValue(), res);
                    String what = "series " + e.getKey() + " at " + res;
                    BruteForce.assertSame(want, r, what, false);
                    for (int k = 0; k < r.size(); k++) {
                        if (r.windowStart()[k] <= cutWindow) {
                            assertTrue(Double.isNaN(r.changes()[k]) && Double.isNaN(r.resets()[k]), what + " window " + k);
                        } else {
                            assertEquals(want.get(k).changes(), r.changes()[k], what + " changes in window " + k);
                            assertEquals(want.get(k).resets(), r.resets()[k], what + " resets in window " + k);
                        }
                    }
                }
            }
        }
    }
}
