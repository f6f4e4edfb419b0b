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

    /** Resident KiB of this process's mappings of {@code dir}'s map generations (/proc/self/smaps). */
    private static long mapRssKib(Path dir) throws java.io.IOException {
        String prefix = dir.toAbsolutePath().normalize() + "/series-";
        long kib = 0;
        boolean in = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                in = line.contains(prefix) && line.endsWith(".cm");
            } else if (in && line.startsWith("Rss:")) {
                kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return kib;
    }

    private static boolean linuxAtLeast(int major, int minor) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(System.getProperty("os.version", ""));
        if (!m.find()) {
            return false;
        }
        int ma = Integer.parseInt(m.group(1));
        return ma > major || ma == major && Integer.parseInt(m.group(2)) >= minor;
    }

    @Test
    void aSyncLeavesTheMapOutOfTheResidentMemoryAndWhole() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/smaps")), "Linux only");
        org.junit.jupiter.api.Assumptions.assumeTrue(linuxAtLeast(5, 4), "MADV_PAGEOUT came with Linux 5.4");
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
