package dev.sandglass.storage.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdleCachesTest {
    @TempDir
    Path dir;

    @Test
    void anIdleReleaseDropsCachedSelectionsAndTheNextSelectAnswersTheSame() {
        try (SeriesIndex idx = new SeriesIndex(dir, 4096, false)) {
            for (int i = 0; i < 10_000; i++) {
                idx.ref(Labels.of("__name__", "m" + (i % 10), "run", "run-" + i, "sandbox", "sb-" + (i % 500)));
            }
            List<Matcher> q = List.of(Matcher.eq("__name__", "m3"), new Matcher(Matcher.Type.RE, "sandbox", "sb-1.*"));
            SeriesIndex.Selection first = idx.selection(q);
            assertSame(first, idx.selection(q), "cached while busy");
            idx.releaseIdleCaches();
            SeriesIndex.Selection again = idx.selection(q);
            assertNotSame(first, again, "made again after the release");
            assertArrayEquals(first.refs(), again.refs());
            assertArrayEquals(first.byLabels(), again.byLabels());
            assertArrayEquals(first.labels(), again.labels());
            assertEquals(Labels.of("__name__", "m3", "run", "run-13", "sandbox", "sb-13"), idx.labels(13));
            // The release also pages the index's tables out (ScratchPages#pageOut): every series
            // reads back as it was, and new ones are still added after it.
            for (int i = 0; i < 10_000; i++) {
                assertEquals(Labels.of("__name__", "m" + (i % 10), "run", "run-" + i, "sandbox", "sb-" + (i % 500)), idx.labels(i));
            }
            int next = idx.ref(Labels.of("__name__", "m0", "run", "run-new", "sandbox", "sb-0"));
            assertEquals(10_000, next);
            assertEquals(7, idx.ref(Labels.of("__name__", "m7", "run", "run-7", "sandbox", "sb-7")), "an old series keeps its ref");
        }
    }
}
