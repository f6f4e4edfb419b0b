package dev.sandglass.storage.rollup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.encoding.Varints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flush of more series than one excerpt takes: split into parts under the limit, values exact,
 * and parts cut short by a crash never counted (nor their coverage), so a later write of the same
 * data is not added to them. (Older versions: OldRollupVersionsTest.)
 */
class RollupSplitTest {
    private static final int LIMIT = 4096;
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    /** 300 series of a few hours at about 10 s, with resets, and one of 10 days at 2 min: too big for one excerpt on its own. */
    private static Map<Integer, Samples> data() {
        Random rnd = new Random(5);
        Map<Integer, Samples> out = new HashMap<>();
        for (int ref = 1; ref <= 300; ref++) {
            Samples s = new Samples();
            double v = rnd.nextInt(100);
            for (long t = T0 + rnd.nextInt(600_000); t < T0 + 3 * 3_600_000L; t += 5_000 + rnd.nextInt(10_000)) {
                v = rnd.nextInt(200) == 0 ? rnd.nextInt(5) : v + rnd.nextInt(20);
                s.add(t, v);
            }
            out.put(ref * 7, s);
        }
        Samples big = new Samples();
        for (long t = T0; t < T0 + 10 * 86_400_000L; t += 120_000) {
            big.add(t, rnd.nextInt(1000));
        }
        out.put(5000, big);
        return out;
    }

    private static void add(RollupWriter w, Map<Integer, Samples> data) {
        for (var e : data.entrySet()) {
            w.add(e.getKey(), e.getValue().timestamps(), e.getValue().values(), 0, e.getValue().size());
        }
    }

    /** Every series' windows from the counted excerpts, merged, against the brute-force ones. */
    private static void assertExact(RollupStore store, Map<Integer, Samples> data) {
        List<RollupStore.Entry> live = store.live(Long.MAX_VALUE);
        try (RollupStore.Reader reader = store.reader()) {
            List<byte[]> bytes = new ArrayList<>();
            for (RollupStore.Entry e : live) {
                bytes.add(reader.read(e));
            }
            for (long res : RollupWriter.RESOLUTIONS_MS) {
                for (var d : data.entrySet()) {
                    List<Windows> parts = new ArrayList<>();
                    for (int k = 0; k < live.size(); k++) {
                        Windows w = live.get(k).header().resolutionMs() == res ? live.get(k).decode(bytes.get(k), d.getKey()) : null;
                        if (w != null) {
                            parts.add(w);
                        }
                    }
                    BruteForce.assertSame(BruteForce.windows(d.getValue(), res), Windows.merge(res, parts).toSeries(Labels.of("a", "b")),
                            "series " + d.getKey() + " at " + res);
                }
            }
        }
    }

    @Test
    void aFlushOfManySeriesIsSplitIntoPartsUnderTheLimitAndReadsBackExact() {
        Map<Integer, Samples> data = data();
        try (RollupStore store = new RollupStore(dir, false)) {
            RollupWriter w = new RollupWriter(LIMIT);
            add(w, data);
            w.flush(store, 3, 9);
            List<RollupStore.Entry> all = store.directory();
            assertTrue(all.size() > 20, all.size() + " parts");
            List<Long> continued = new ArrayList<>();
            for (RollupStore.Entry e : all) {
                assertTrue(e.bytes() <= LIMIT, e.bytes() + " bytes");
                if (e.header().continued()) {
                    continued.add(e.index());
                }
            }
            RollupStore.Entry last = all.get(all.size() - 1);
            assertFalse(last.header().continued());
            assertEquals(all.size() - 1, continued.size(), "every part but the last is continued");
            assertArrayEquals(continued.stream().mapToLong(Long::longValue).toArray(), last.header().commits());
            assertEquals(all.size(), store.counted(Long.MAX_VALUE).size());
            assertTrue(store.coverage(Long.MAX_VALUE).covers(3) && store.coverage(Long.MAX_VALUE).covers(9));
            // The 10-day series takes several parts of its own at 5 minutes.
            assertTrue(all.stream().filter(e -> e.header().indexOf(5000) >= 0).count() > 4);
            assertExact(store, data);
            // As a querier made before the last part was written sees it: nothing of this write counts.
            assertEquals(0, store.counted(last.index() - 1).size());
            assertFalse(store.coverage(last.index() - 1).covers(5));
        }
        try (RollupStore store = new RollupStore(dir, true)) {
            assertExact(store, data);
        }
    }

    /**
     * A seal's writer encodes each series as it comes: under the limit, in parts committed by the
     * last, the same windows as gathering them all first (split points differ by the room a
     * streaming part keeps for commits).
     */
    @Test
    void aStreamingWriterWritesWhatAGatheringOneWrites() {
        Map<Integer, Samples> data = new java.util.TreeMap<>(data());
        List<byte[]> gathered = new ArrayList<>();
        List<byte[]> streamed = new ArrayList<>();
        for (boolean streaming : new boolean[] {false, true}) {
            Path sub = dir.resolve(streaming ? "streamed" : "gathered");
            try (RollupStore store = new RollupStore(sub, false)) {
                RollupWriter w = new RollupWriter(LIMIT, streaming);
                add(w, data); // ascending refs, each once
                assertEquals(301, w.series());
                w.flush(store, 3, 9);
                assertTrue(store.directory().size() > 20, store.directory().size() + " parts");
                List<RollupStore.Entry> all = store.directory();
                try (RollupStore.Reader reader = store.reader()) {
                    for (RollupStore.Entry e : all) {
                        assertTrue(e.bytes() <= LIMIT, e.bytes() + " bytes");
                        if (e.header().resolutionMs() == RollupWriter.RESOLUTIONS_MS[1]) {
                            (streaming ? streamed : gathered).add(java.util.Arrays.copyOfRange(reader.read(e), 9, e.bytes()));
                        }
                    }
                }
                assertEquals(all.size() - 1, all.get(all.size() - 1).header().commits().length, "the last part commits every other");
                assertEquals(all.size(), store.counted(Long.MAX_VALUE).size());
                assertExact(store, data);
            }
        }
        assertTrue(streamed.size() > 3 && streamed.size() <= gathered.size() + 3, streamed.size() + " hourly parts against " + gathered.size());
        RollupWriter w = new RollupWriter(LIMIT, true);
        w.add(7, new long[] {T0}, new double[] {1}, 0, 1);
        assertThrows(IllegalStateException.class, () -> w.add(7, new long[] {T0 + 1}, new double[] {1}, 0, 1), "a series twice");
    }

    /**
     * A seal's writer appends each part the moment it is full: those parts count only once the
     * flush's last part commits them, the windows read back exact, and only the last part claims
     * the raw blocks. One whose append fails midway writes nothing more and claims nothing.
     */
    @Test
    void aWriterStreamingToTheStoreAppendsFullPartsAtOnceUncountedUntilTheLast() {
        Map<Integer, Samples> data = new java.util.TreeMap<>(data());
        try (RollupStore store = new RollupStore(dir.resolve("early"), false)) {
            RollupWriter w = RollupWriter.streamingTo(store, LIMIT);
            add(w, data);
            int early = store.directory().size();
            assertTrue(early > 20, early + " parts appended before the flush");
            assertTrue(store.counted(Long.MAX_VALUE).isEmpty(), "none counts before the last part");
            assertFalse(store.coverage(Long.MAX_VALUE).covers(3));
            w.flush(store, 3, 9);
            List<RollupStore.Entry> all = store.directory();
            assertTrue(all.size() > early, "the parts left and the last");
            for (RollupStore.Entry e : all) {
                assertTrue(e.bytes() <= LIMIT, e.bytes() + " bytes");
            }
            assertEquals(all.size() - 1, all.get(all.size() - 1).header().commits().length, "the last part commits every other");
            assertEquals(all.size(), store.counted(Long.MAX_VALUE).size());
            assertTrue(store.coverage(Long.MAX_VALUE).covers(3) && store.coverage(Long.MAX_VALUE).covers(9));
            assertFalse(store.coverage(Long.MAX_VALUE).covers(10));
            assertExact(store, data);
        }
        try (RollupStore store = new RollupStore(dir.resolve("cut"), false)) {
            RollupWriter w = RollupWriter.streamingTo(store, LIMIT);
            w.stopAfterParts = 4;
            add(w, data); // the fifth part fails: no exception here, the raw write goes on
            assertEquals(4, store.directory().size());
            assertThrows(StorageException.class, () -> w.flush(store, 3, 9));
            assertEquals(4, store.directory().size(), "nothing more is written");
            assertTrue(store.counted(Long.MAX_VALUE).isEmpty(), "nor counted");
            assertFalse(store.coverage(Long.MAX_VALUE).covers(3), "the raw blocks are left to the next open's roll-up");
        }
    }

    @Test
    void partsACrashCutShortNeverCountAndAWriteAfterThemIsExact() {
        Map<Integer, Samples> data = data();
        try (RollupStore store = new RollupStore(dir, false)) {
            // A first, complete write of other blocks (0..2), then one cut short after 5 parts.
            RollupWriter before = new RollupWriter(LIMIT);
            before.add(1, new long[] {T0 - 86_400_000L}, new double[] {1}, 0, 1);
            before.flush(store, 0, 2);
            RollupWriter w = Crashing.writer(LIMIT, 5);
            add(w, data);
            assertThrows(StorageException.class, () -> w.flush(store, 3, 9));
        }
        try (RollupStore store = new RollupStore(dir, false)) {
            assertEquals(7, store.directory().size(), "2 excerpts of the first write and 5 parts");
            assertEquals(2, store.counted(Long.MAX_VALUE).size(), "the parts without their last do not count");
            assertTrue(store.coverage(Long.MAX_VALUE).covers(2));
            assertFalse(store.coverage(Long.MAX_VALUE).covers(3), "their raw blocks are not claimed");
            // The repair writes the same windows again: counted once.
            RollupWriter again = new RollupWriter(LIMIT);
            add(again, data);
            again.flush(store, 3, 9);
            assertTrue(store.coverage(Long.MAX_VALUE).covers(9));
            Map<Integer, Samples> both = new HashMap<>(data);
            Samples one = new Samples();
            one.add(T0 - 86_400_000L, 1);
            both.put(1, one);
            assertExact(store, both);
            // Compaction leaves the orphans out: it only merges what counts.
            RollupCompactor.compact(store, Long.MAX_VALUE);
            assertExact(store, both);
        }
    }

    @Test
    void aCycleFileOfOrphanPartsIsDeletedButNotOneOfAWriteUnderWay() throws Exception {
        Map<Integer, Samples> data = data();
        Map<Integer, Samples> small = new HashMap<>();
        small.put(1, data.get(7));
        try (RollupStore store = new RollupStore(dir, false, TestRollCycles.TEST_SECONDLY)) {
            RollupWriter first = new RollupWriter(LIMIT);
            add(first, small);
            first.flush(store, 0, 0);
            waitForNextCycle();
            RollupWriter cut = Crashing.writer(LIMIT, 3);
            add(cut, data);
            assertThrows(StorageException.class, () -> cut.flush(store, 1, 1));
            waitForNextCycle();
            RollupWriter last = new RollupWriter(LIMIT);
            add(last, small);
            last.flush(store, 2, 2);
            // In the process that wrote them, the parts may be a write still under way: kept.
            RollupRetention.dropReplaced(store);
            assertEquals(2 + 3 + 2, store.directory().size(), "the parts are kept");
        }
        try (RollupStore store = new RollupStore(dir, false, TestRollCycles.TEST_SECONDLY)) {
            assertEquals(2 + 3 + 2, store.directory().size());
            RollupRetention.dropReplaced(store);
            assertEquals(store.directory().size(), store.counted(Long.MAX_VALUE).size(), "the orphans' cycle is dropped");
            // Both complete writes of series 1 stay, nothing of the orphans.
            assertEquals(2 * RollupWriter.RESOLUTIONS_MS.length, store.counted(Long.MAX_VALUE).size());
            assertFalse(store.coverage(Long.MAX_VALUE).covers(1));
            assertTrue(store.coverage(Long.MAX_VALUE).covers(0) && store.coverage(Long.MAX_VALUE).covers(2));
        }
    }

    /** Returns once the clock is past the current second: the next append goes to a new (secondly) cycle file. */
    private static void waitForNextCycle() throws InterruptedException {
        long until = System.currentTimeMillis() / 1000 * 1000 + 1000;
        while (System.currentTimeMillis() <= until) {
            Thread.sleep(20);
        }
    }

    @Test
    void aCrashBetweenTheFiveMinuteAndTheHourExcerptLeavesTheBlocksUncovered() {
        Map<Integer, Samples> data = data();
        try (RollupStore store = new RollupStore(dir, false)) {
            RollupWriter w = Crashing.writer(RollupStore.MAX_EXCERPT_BYTES, 1);
            add(w, data);
            assertThrows(StorageException.class, () -> w.flush(store, 3, 9));
            assertEquals(1, store.directory().size());
            assertEquals(RollupWriter.RESOLUTIONS_MS[0], store.directory().get(0).header().resolutionMs());
            assertTrue(store.counted(Long.MAX_VALUE).isEmpty());
            assertFalse(store.coverage(Long.MAX_VALUE).covers(3));
        }
    }
}
