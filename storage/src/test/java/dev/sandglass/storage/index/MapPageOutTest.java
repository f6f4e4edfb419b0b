package dev.sandglass.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The series map's pages are let go as a sync writes them (SeriesMaps#pageOut): the process does
 * not keep the map resident, and nothing of it is lost (with the log gone, the next open takes
 * every series back from the map). The store sits under target/ rather than the temp dir, which
 * may be a tmpfs (whose pages have nowhere to go without swap).
 */
class MapPageOutTest {
    private static Labels series(int i) {
        return Labels.of("__name__", "m" + (i % 10), "run", "run-" + i, "sandbox", "sb-" + (i % 500));
    }

    /** Resident KiB of this process's mappings of {@code dir}'s map generations. */
    private static long mapRssKib(Path dir) throws java.io.IOException {
        String prefix = dir.toAbsolutePath().normalize() + "/series-";
        return MappingRss.kib(line -> line.contains(prefix) && line.endsWith(".cm"));
    }

    @Test
    void aSyncLeavesTheMapOutOfTheResidentMemoryAndWhole() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(MappingRss.linuxAtLeast(5, 4), "MADV_PAGEOUT came with Linux 5.4");
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "map-pageout-");
        int n = 30_000;
        long fileBytes = 0;
        try (SeriesIndex idx = new SeriesIndex(dir, 65_536, false)) {
            for (int i = 0; i < n; i++) {
                assertEquals(i, idx.ref(series(i)));
            }
            idx.flush();
            idx.syncMap();
            for (Path f : SeriesMaps.files(dir)) {
                fileBytes += Files.size(f);
            }
            long rss = mapRssKib(dir);
            assertTrue(fileBytes >= 8L << 20, fileBytes + " bytes of map: too small for the check below to mean anything");
            assertTrue(rss <= 1024, rss + " KiB of the map resident after the sync (its files: " + (fileBytes >> 10) + " KiB)");
        }
        Files.delete(dir.resolve(SeriesLog.FILE));
        try (SeriesIndex idx = new SeriesIndex(dir, 65_536, false)) {
            assertEquals(n, idx.size(), "every series taken back from the map");
            for (int i = 0; i < n; i += 7) {
                assertEquals(series(i), idx.labels(i));
            }
        }
    }
}
