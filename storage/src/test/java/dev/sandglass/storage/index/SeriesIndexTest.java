package dev.sandglass.storage.index;

import dev.sandglass.storage.api.StorageException;

import dev.sandglass.storage.api.SeriesLimits;

import static org.junit.jupiter.api.Assertions.assertThrows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesIndexTest {
    @TempDir
    Path dir;

    private static Labels churn(int i) {
        // Every restart of every sandbox can mint series: run_id labels make each run new.
        return Labels.of("__name__", "microsandbox_memory_usage_bytes", "sandbox_name", "sbx-" + (i % 50),
                "run_id", Integer.toString(i / 50), "note", "a \"quoted\" 5:value");
    }

    @Test
    void growsPastItsCapacityUnderChurnAndKeepsEveryRef() throws Exception {
        int n = 5_000;
        try (SeriesIndex idx = new SeriesIndex(dir, 256, false)) {
            for (int i = 0; i < n; i++) {
                assertEquals(i, idx.ref(churn(i)));
            }
            idx.flush();
            idx.syncMap();
            assertTrue(idx.capacity() >= n, "capacity grew to " + idx.capacity());
            assertEquals(7, idx.ref(churn(7)), "an existing series keeps its ref");
        }
        try (SeriesIndex idx = new SeriesIndex(dir, 256, false); Stream<Path> files = Files.list(dir)) {
            assertTrue(files.filter(p -> p.toString().endsWith(".cm")).count() > 1, "older generations are kept beside the newest");
            assertEquals(n, idx.size());
            for (int i = 0; i < n; i += 97) {
                assertEquals(churn(i), idx.labels(i));
                assertEquals(i, idx.ref(churn(i)));
            }
            int[] sbx3 = idx.select(List.of(Matcher.eq("sandbox_name", "sbx-3")));
            assertEquals(n / 50, sbx3.length);
            int[] re = idx.select(List.of(new Matcher(Matcher.Type.RE, "run_id", "1|2"), Matcher.eq("sandbox_name", "sbx-0")));
            assertEquals(2, re.length);
            assertEquals(n, idx.ref(churn(n)), "new series after reopen continue the refs");
        }
    }

    @Test
    void theLargestSeriesTheLimitsAllowIsStoredAndALargerOneIsAClearError() {
        // Non-ASCII on purpose: three UTF-8 bytes per character in the map.
        String[] nv = new String[2 * 2];
        nv[0] = "__name__";
        nv[1] = "\u20ac".repeat(SeriesLimits.MAX_VALUE_CHARS - 8);
        nv[2] = "n".repeat(SeriesLimits.MAX_NAME_CHARS);
        nv[3] = "\u20ac".repeat(SeriesLimits.MAX_TOTAL_CHARS - 8 - (SeriesLimits.MAX_VALUE_CHARS - 8) - SeriesLimits.MAX_NAME_CHARS);
        Labels largest = Labels.of(nv);
        assertEquals(null, SeriesLimits.check(largest));
        try (SeriesIndex idx = new SeriesIndex(dir, 4096, false)) {
            for (int i = 0; i < 20; i++) {
                assertEquals(i, idx.ref(Labels.of("__name__", "x" + i, "big", "\u20ac".repeat(SeriesLimits.MAX_VALUE_CHARS))));
            }
            assertEquals(20, idx.ref(largest));
            Labels huge = Labels.of("__name__", "x", "v", "a".repeat(1 << 20));
            StorageException e = assertThrows(StorageException.class, () -> idx.ref(huge));
            assertTrue(e.getMessage().contains("value of label v has 1048576 characters, more than the limit of 4096"), e.getMessage());
            String[] many = new String[2 * 20_000];
            for (int i = 0; i < 20_000; i++) {
                many[2 * i] = "l" + i;
                many[2 * i + 1] = "v";
            }
            e = assertThrows(StorageException.class, () -> idx.ref(Labels.of(many)));
            assertTrue(e.getMessage().contains("20000 labels, more than the limit of 64"), e.getMessage());
            assertEquals(20, idx.ref(largest), "the index still works");
        }
        try (SeriesIndex idx = new SeriesIndex(dir, 4096, false)) {
            assertEquals(largest, idx.labels(20));
        }
    }

    @Test
    void seriesShareOneCopyOfEachRepeatedNameAndValue() throws Exception {
        try (SeriesIndex idx = new SeriesIndex(dir, 256, false)) {
            // Distinct String instances, as a parser makes them for every new series.
            int a = idx.ref(Labels.of(new String("__name__"), new String("up"), new String("job"), new String("node"), "i", "1"));
            int b = idx.ref(Labels.of(new String("__name__"), new String("up"), new String("job"), new String("node"), "i", "2"));
            Labels la = idx.labels(a);
            Labels lb = idx.labels(b);
            for (int i = 0; i < la.size(); i++) {
                assertSame(la.name(i), lb.name(i), "name " + la.name(i));
            }
            assertSame(la.get("__name__"), lb.get("__name__"));
            assertSame(la.get("job"), lb.get("job"));
            assertEquals("2", lb.get("i"));
            assertEquals(b, idx.ref(Labels.of("__name__", "up", "job", "node", "i", "2")), "found again by equal labels");
        }
    }

    /** What a kill at this moment leaves on disk: the files as the page cache holds them. */
    private Path crashCopy(String name) throws Exception {
        Path copy = dir.resolveSibling(dir.getFileName() + "-" + name).resolve("index");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
        }
        return copy;
    }

    @Test
    void aKillInsideABatchOfNewSeriesReopensWithTheWholeRecordsAndNewRefsAfterThem() throws Exception {
        Path torn;
        Path unflushed;
        long batchStart;
        try (SeriesIndex idx = new SeriesIndex(dir, 256, false)) {
            for (int i = 0; i < 10; i++) {
                idx.ref(churn(i));
            }
            idx.flush();
            idx.syncMap();
            batchStart = Files.size(dir.resolve(SeriesLog.FILE));
            for (int i = 10; i < 15; i++) {
                assertEquals(i, idx.ref(churn(i)));
            }
            // Handed out, not yet written: a kill now loses them, and nothing durable names them
            // (the store flushes before any sample naming them is written).
            unflushed = crashCopy("unflushed");
            idx.flush();
            // Written in one write, not yet in the map: a kill now, with the write torn inside ref 13.
            torn = crashCopy("torn");
        }
        long[] ends = new long[6];
        ends[0] = batchStart;
        for (int i = 10; i < 15; i++) {
            ends[i - 9] = ends[i - 10] + 12 + LabelText.format(churn(i)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        assertEquals(Files.size(dir.resolve(SeriesLog.FILE)), ends[5], "one record per series in the log");
        try (var ch = java.nio.channels.FileChannel.open(torn.resolve(SeriesLog.FILE), java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(ends[3] + 7);
        }
        try (SeriesIndex idx = new SeriesIndex(unflushed, 256, false)) {
            assertEquals(10, idx.size());
            assertEquals(10, idx.ref(churn(99)), "the lost refs are free again");
        }
        try (SeriesIndex idx = new SeriesIndex(torn, 256, false)) {
            assertEquals(13, idx.size(), "the records before the torn one are kept");
            for (int i = 0; i < 13; i++) {
                assertEquals(churn(i), idx.labels(i));
                assertEquals(i, idx.ref(churn(i)));
            }
            assertEquals(13, idx.ref(churn(99)), "a new series takes the next ref");
        }
        try (SeriesIndex idx = new SeriesIndex(torn, 256, false)) {
            assertEquals(14, idx.size(), "log and map agree after the repair");
            assertEquals(churn(99), idx.labels(13));
        }
    }

    @Test
    void newSeriesAreWrittenOncePerFlushNotOncePerSeries() throws Exception {
        try (SeriesIndex idx = new SeriesIndex(dir, 256, false)) {
            long before = Files.size(dir.resolve(SeriesLog.FILE));
            for (int i = 0; i < 100; i++) {
                idx.ref(churn(i));
            }
            assertEquals(before, Files.size(dir.resolve(SeriesLog.FILE)), "nothing written before the flush");
            idx.flush();
            assertTrue(Files.size(dir.resolve(SeriesLog.FILE)) > before + 100 * 12);
        }
    }
}
