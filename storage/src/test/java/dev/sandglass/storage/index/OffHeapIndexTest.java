package dev.sandglass.storage.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The series index's tables outside the heap: frozen postings answer as a brute force over the
 * label sets does, across freezes and refs added out of order; the scratch file leaves nothing on
 * disk; label values and names come from the postings alone.
 */
class OffHeapIndexTest {
    @TempDir
    Path dir;

    private static Labels series(Random rnd, int i) {
        List<String> kv = new ArrayList<>(List.of("__name__", "m" + rnd.nextInt(5), "run", "r" + i / 7, "sandbox", "sb-" + rnd.nextInt(40)));
        if (rnd.nextInt(3) == 0) {
            kv.addAll(List.of("zone", "z" + rnd.nextInt(3)));
        }
        return Labels.of(kv.toArray(String[]::new));
    }

    private static final List<List<Matcher>> QUERIES = List.of(
            List.of(Matcher.eq("__name__", "m1")),
            List.of(Matcher.eq("sandbox", "sb-7"), Matcher.eq("__name__", "m3")),
            // A long list against a few candidates: checked on their labels, not decoded and intersected.
            List.of(Matcher.eq("run", "r5"), Matcher.eq("__name__", "m1"), Matcher.eq("sandbox", "sb-3")),
            List.of(Matcher.eq("zone", "z2"), Matcher.eq("__name__", "m2"), new Matcher(Matcher.Type.NEQ, "sandbox", "sb-1")),
            List.of(new Matcher(Matcher.Type.RE, "run", "r1.*"), new Matcher(Matcher.Type.NEQ, "__name__", "m0")),
            List.of(new Matcher(Matcher.Type.RE, "sandbox", "sb-1|sb-22"), Matcher.eq("zone", "")),
            List.of(new Matcher(Matcher.Type.NRE, "zone", "z1"), Matcher.eq("__name__", "m4")),
            List.of(new Matcher(Matcher.Type.RE, "zone", ".+")),
            List.of(Matcher.eq("sandbox", "none")),
            List.of(new Matcher(Matcher.Type.NEQ, "run", "r3")));

    private static int[] brute(List<Labels> all, List<Matcher> ms) {
        return java.util.stream.IntStream.range(0, all.size())
                .filter(r -> all.get(r) != null && ms.stream().allMatch(m -> m.matches(all.get(r).has(m.name()) ? all.get(r).get(m.name()) : "")))
                .toArray();
    }

    @Test
    void frozenPostingsAnswerAsABruteForceAcrossFreezesAndOutOfOrderRefs() {
        Random rnd = new Random(15);
        ScratchPages scratch = new ScratchPages(dir);
        Symbols symbols = new Symbols(scratch);
        SeriesTable table = new SeriesTable(symbols, scratch);
        Postings postings = new Postings(symbols, scratch, 50);
        int n = 3_000;
        List<Labels> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(null);
        }
        // Refs mostly ascending, with every 10th held back and added late (a repaired index puts
        // refs only the map had after the log's), so some frozen lists get older refs appended.
        List<Integer> order = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            if (r % 10 != 3) {
                order.add(r);
            }
        }
        for (int r = 3; r < n; r += 10) {
            order.add(r);
        }
        int checks = 0;
        for (int k = 0; k < order.size(); k++) {
            int ref = order.get(k);
            Labels l = series(rnd, ref);
            all.set(ref, l);
            table.put(ref, l);
            postings.add(ref, table.labels(ref));
            if (k % 997 == 0 || k == order.size() - 1) {
                for (List<Matcher> q : QUERIES) {
                    assertArrayEquals(brute(all, q), postings.select(q, table), "after " + (k + 1) + " series: " + q);
                    checks++;
                }
            }
        }
        postings.freeze();
        for (List<Matcher> q : QUERIES) {
            assertArrayEquals(brute(all, q), postings.select(q, table), "all frozen: " + q);
        }
        TreeSet<String> sandboxes = new TreeSet<>();
        all.forEach(l -> sandboxes.add(l.get("sandbox")));
        assertEquals(List.copyOf(sandboxes), postings.values("sandbox"));
        assertEquals(List.of("__name__", "run", "sandbox", "zone"), postings.names());
        assertTrue(checks > 20);
        assertEquals(0, scratch.heapPages(), "every page came from the scratch file");
        assertTrue(scratch.bytesInUse() > 0);
        scratch.close();
    }

    @Test
    void theScratchFileLeavesNothingOnDiskAndTheIndexAnswersAfterReopen() throws Exception {
        Random rnd = new Random(7);
        List<Labels> all = new ArrayList<>();
        Files.write(dir.resolve(".scratch-123.mem"), new byte[100]); // as a kill between creating and unlinking one leaves it
        try (SeriesIndex idx = new SeriesIndex(dir, 4096, false)) {
            for (int i = 0; i < 2_000; i++) {
                Labels l = series(rnd, i);
                if (idx.ref(l) == all.size()) {
                    all.add(l);
                }
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith(".scratch")).toList(),
                        "the scratch file is unlinked once mapped, and one left over is deleted");
            }
            assertTrue(idx.tableBytes() > 0);
        }
        try (SeriesIndex idx = new SeriesIndex(dir, 4096, false)) {
            assertEquals(all.size(), idx.size());
            for (List<Matcher> q : QUERIES) {
                assertArrayEquals(brute(all, q), idx.select(q), q.toString());
            }
            TreeSet<String> runs = new TreeSet<>();
            all.forEach(l -> runs.add(l.get("run")));
            assertEquals(List.copyOf(runs), idx.labelValues("run"));
            assertEquals(List.of(), idx.labelValues("nope"));
            assertEquals(List.of("__name__", "run", "sandbox", "zone"), idx.labelNames());
            for (int r = 0; r < all.size(); r += 13) {
                assertEquals(r, idx.ref(all.get(r)));
                assertEquals(all.get(r), idx.labels(r));
            }
        }
    }

    @Test
    void pagesComeFromTheTempDirWhenTheIndexDirCannotBeWrittenAndAreZeroedForReuse() {
        ScratchPages scratch = new ScratchPages(dir.resolve("does-not-exist"));
        PagedInts ints = new PagedInts(scratch);
        ints.ensure(100_000);
        for (int i = 0; i < 100_000; i += 3) {
            ints.set(i, i + 1);
        }
        assertEquals(30_001, ints.get(30_000));
        assertEquals(0, ints.get(30_001));
        assertEquals(0, scratch.heapPages(), "the temp dir's scratch file served them");
        ints.release();
        PagedInts again = new PagedInts(scratch);
        again.ensure(100_000);
        for (int i = 0; i < 100_000; i++) {
            assertEquals(0, again.get(i), "a reused page reads zeros");
        }
        scratch.close();
    }

    @Test
    void releasedPagesLeaveTheResidentMemoryAndReadZerosWhenReused() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/smaps")), "Linux only");
        java.nio.ByteBuffer probe;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve("probe"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate(ScratchPages.PAGE), 0);
            probe = ch.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0, ScratchPages.PAGE);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(ScratchRelease.giveBack(probe), "madvise(MADV_REMOVE) is not supported here");
        ScratchPages scratch = new ScratchPages(dir);
        PagedInts ints = new PagedInts(scratch);
        int n = 160 * (ScratchPages.PAGE / 4); // 160 pages: 10 MiB
        ints.ensure(n);
        for (int i = 0; i < n; i++) {
            ints.set(i, i + 1);
        }
        long written = MappingRss.scratchKib();
        assertTrue(written >= 10 * 1024, written + " KiB resident once written");
        ints.release();
        long released = MappingRss.scratchKib();
        assertTrue(written - released >= 9 * 1024, "given back: " + written + " KiB written, " + released + " KiB after the release");
        PagedInts again = new PagedInts(scratch);
        again.ensure(n);
        for (int i = 0; i < n; i += 7) {
            assertEquals(0, again.get(i), "a reused page reads zeros");
        }
        again.set(5, 42);
        assertEquals(42, again.get(5));
        assertEquals(0, scratch.heapPages());
        scratch.close();
    }
}
