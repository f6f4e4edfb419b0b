package dev.sandglass.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Labels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The map grows by generations beside the older ones; together they are the log's backup. */
class MapGenerationsTest {
    @TempDir
    Path tmp;

    private static Labels series(int i) {
        return Labels.of("__name__", "msb_cpu_seconds_total", "sandbox_id", "sbx-" + i, "instance", "host-" + (i % 7));
    }

    private static void fill(Path dir, long initialCapacity, int from, int to) {
        try (SeriesIndex idx = new SeriesIndex(dir, initialCapacity, false)) {
            for (int i = from; i < to; i++) {
                assertEquals(i, idx.ref(series(i)));
                if (i % 100 == 99) {
                    idx.flush();
                    idx.syncMap(); // as a writer does between batches: the map grows step by step
                }
            }
        }
    }

    private static List<String> maps(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cm")).sorted().toList();
        }
    }

    private static void assertHoldsAll(Path dir, int n) {
        try (SeriesIndex idx = new SeriesIndex(dir, 256, false)) {
            assertEquals(n, idx.size());
            for (int i = 0; i < n; i++) {
                assertEquals(series(i), idx.labels(i), "ref " + i);
                assertEquals(i, idx.ref(series(i)));
            }
        }
    }

    @Test
    void growingStartsAGenerationBesideTheOlderOnesWithoutRewritingThem() throws Exception {
        Path dir = tmp.resolve("index");
        fill(dir, 256, 0, 150);
        assertEquals(List.of("series-0-256.cm"), maps(dir));
        long firstSize = Files.size(dir.resolve("series-0-256.cm"));
        fill(dir, 256, 150, 1_000);
        assertEquals(List.of("series-0-256.cm", "series-1-512.cm", "series-2-1024.cm"), maps(dir));
        assertEquals(firstSize, Files.size(dir.resolve("series-0-256.cm")), "the first generation is kept as it was");
        try (SeriesIndex idx = new SeriesIndex(dir, 256, false)) {
            assertEquals(256 + 512 + 1024, idx.capacity());
        }
        assertHoldsAll(dir, 1_000);
    }

    @Test
    void withTheLogGoneEverySeriesComesBackFromAllTheGenerations() throws Exception {
        Path dir = tmp.resolve("index");
        fill(dir, 256, 0, 1_000);
        Files.delete(dir.resolve(SeriesLog.FILE));
        assertHoldsAll(dir, 1_000);
        assertTrue(Files.size(dir.resolve(SeriesLog.FILE)) > 0, "the log is written again from the maps");
        assertHoldsAll(dir, 1_000);
    }

    @Test
    void aDamagedOlderGenerationIsSetAsideAndTheMapRebuiltFromTheLog() throws Exception {
        Path dir = tmp.resolve("index");
        fill(dir, 256, 0, 1_000);
        try (FileChannel ch = FileChannel.open(dir.resolve("series-1-512.cm"), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        assertHoldsAll(dir, 1_000);
        assertEquals(1, maps(dir).size(), "one new generation holds every series: " + maps(dir));
        try (Stream<Path> aside = Files.list(tmp.resolve("damaged"))) {
            assertTrue(aside.anyMatch(p -> p.getFileName().toString().startsWith("series-1-512.cm")));
        }
        // The new generation alone is a complete backup: it stands without the log.
        Files.delete(dir.resolve(SeriesLog.FILE));
        assertHoldsAll(dir, 1_000);
    }

    @Test
    void aSingleGenerationAsEarlierVersionsLeftItOpensAndGrowsBesideIt() throws Exception {
        // Earlier versions copied the map at each growth: one file, its number counting the copies.
        Path dir = tmp.resolve("index");
        fill(dir, 2_048, 0, 1_000);
        Files.move(dir.resolve("series-0-2048.cm"), dir.resolve("series-3-2048.cm"));
        assertHoldsAll(dir, 1_000);
        fill(dir, 256, 1_000, 2_000);
        assertEquals(List.of("series-3-2048.cm", "series-4-4096.cm"), maps(dir));
        assertHoldsAll(dir, 2_000);
        Files.delete(dir.resolve(SeriesLog.FILE));
        assertHoldsAll(dir, 2_000);
    }

    @Test
    void readOnlyWithoutTheLogReadsEveryGenerationAndWritesNothing() throws Exception {
        Path dir = tmp.resolve("index");
        fill(dir, 256, 0, 1_000);
        Files.delete(dir.resolve(SeriesLog.FILE));
        List<String> before = maps(dir);
        try (SeriesIndex idx = new SeriesIndex(dir, 256, true)) {
            assertEquals(1_000, idx.size());
            for (int i = 0; i < 1_000; i += 37) {
                assertEquals(series(i), idx.labels(i));
            }
        }
        assertEquals(before, maps(dir));
        assertTrue(Files.notExists(dir.resolve(SeriesLog.FILE)), "a read-only open writes no log");
    }
}
