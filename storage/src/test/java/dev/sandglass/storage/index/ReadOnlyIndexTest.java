package dev.sandglass.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offline commands open the index read-only: from the log alone when it is complete, else from the map too. */
class ReadOnlyIndexTest {
    @TempDir
    Path dir;

    private static Labels series(int i) {
        return Labels.of("__name__", "microsandbox_cpu_utilization_ratio", "sandbox_name", "sbx-" + i);
    }

    private void write(int n) {
        try (SeriesIndex idx = new SeriesIndex(dir, 256, false)) {
            for (int i = 0; i < n; i++) {
                idx.ref(series(i));
            }
        }
    }

    private Path mapFile() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".cm")).findFirst().orElseThrow();
        }
    }

    @Test
    void aCompleteLogIsEnoughEvenWithTheMapScribbled() throws Exception {
        write(300);
        // Scribble over the map: a read-only open that still read it would lose the series or fail.
        Files.write(mapFile(), new byte[4096], StandardOpenOption.TRUNCATE_EXISTING);
        try (SeriesIndex idx = new SeriesIndex(dir, 256, true)) {
            assertEquals(300, idx.size());
            assertEquals(series(299), idx.labels(299));
            assertEquals(1, idx.select(List.of(dev.sandglass.storage.api.Matcher.eq("sandbox_name", "sbx-7"))).length);
            assertThrows(StorageException.class, () -> idx.ref(series(300)), "read-only still refuses new series");
        }
    }

    @Test
    void aLogCutShortIsCompletedFromTheMap() throws Exception {
        write(300);
        Path log = dir.resolve(SeriesLog.FILE);
        byte[] all = Files.readAllBytes(log);
        Files.write(log, java.util.Arrays.copyOf(all, all.length / 2 + 3)); // a torn record at the end
        try (SeriesIndex idx = new SeriesIndex(dir, 256, true)) {
            assertEquals(300, idx.size(), "the series the log lost come from the map");
            assertEquals(series(299), idx.labels(299));
        }
    }

    @Test
    void aStoreWithoutALogIsReadFromTheMap() throws Exception {
        write(50);
        Files.delete(dir.resolve(SeriesLog.FILE));
        try (SeriesIndex idx = new SeriesIndex(dir, 256, true)) {
            assertEquals(50, idx.size());
            assertEquals(series(49), idx.labels(49));
        }
    }
}
