package dev.sandglass.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
            assertTrue(idx.capacity() >= n, "capacity grew to " + idx.capacity());
            assertEquals(7, idx.ref(churn(7)), "an existing series keeps its ref");
        }
        try (SeriesIndex idx = new SeriesIndex(dir, 256, false); Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "old generations are removed");
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
}
