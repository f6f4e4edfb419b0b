package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.segment.Block;
import dev.sandglass.storage.segment.BlockHeader;
import dev.sandglass.storage.segment.SegmentStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers open at once share a block's one decoded copy; none is kept once they are closed. */
class SharedBlocksTest {
    @Test
    void concurrentReadersShareABlockAndClosedOnesKeepNothing(@TempDir Path dir) {
        try (Db db = Db.open(DbOptions.defaults(dir).withRetention(100L * 365 * 86_400_000L, 0))) {
            try (BulkAppender app = db.bulkAppender()) {
                long ref = app.seriesRef(Labels.of("__name__", "m", "sandbox_name", "a"));
                long[] ts = new long[100];
                double[] vs = new double[100];
                for (int i = 0; i < 100; i++) {
                    ts[i] = 1_700_000_000_000L + i * 1000L;
                    vs[i] = i;
                }
                app.appendAll(ref, ts, vs, ts.length);
                app.finish();
            }
            SegmentStore segments = db.segments();
            assertFalse(segments.directory().isEmpty());
            BlockHeader h = segments.directory().get(0);
            Block first;
            try (SegmentStore.Reader a = segments.reader(); SegmentStore.Reader b = segments.reader()) {
                first = a.read(h);
                assertSame(first, b.read(h), "a second reader open meanwhile gets the same copy");
                assertSame(first, a.read(h));
            }
            try (SegmentStore.Reader c = segments.reader()) {
                Block again = c.read(h);
                assertNotSame(first, again, "nothing is kept once every reader is closed");
                assertEquals(first.seriesCount(), again.seriesCount());
            }
        }
    }
}
