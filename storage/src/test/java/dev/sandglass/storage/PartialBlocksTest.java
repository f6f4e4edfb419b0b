package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.segment.Block;
import dev.sandglass.storage.segment.BlockHeader;
import dev.sandglass.storage.segment.SegmentStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query copies only the sections of a block it reads (its metric's value frame), once the
 * block's checksum was checked; a reader of another metric sharing the block meanwhile gets its
 * own frame added, and every answer is the same as from the whole block.
 */
class PartialBlocksTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final String[] METRICS = {"cpu", "mem", "disk"};

    private static double value(int metric, int series, int i) {
        // Each metric in its own value frame; values that zstd shrinks (runs) and some it does not.
        return metric == 0 ? i * 0.37 + series : metric == 1 ? (i / 10) * 1024 : Math.floorMod(i * 7919L + series * 31L, 1000) / 7.0;
    }

    @Test
    void aQueryReadsItsOwnFramesAndAnswersAsTheWholeBlockDoes(@TempDir Path dir) {
        try (Db db = Db.open(DbOptions.defaults(dir).withRetention(100L * 365 * 86_400_000L, 0))) {
            try (BulkAppender app = db.bulkAppender()) {
                for (int m = 0; m < METRICS.length; m++) {
                    for (int s = 0; s < 4; s++) {
                        long ref = app.seriesRef(Labels.of("__name__", METRICS[m], "sandbox_name", "sb-" + s));
                        long[] ts = new long[500];
                        double[] vs = new double[500];
                        for (int i = 0; i < ts.length; i++) {
                            ts[i] = T0 + i * 1000L;
                            vs[i] = value(m, s, i);
                        }
                        app.appendAll(ref, ts, vs, ts.length);
                    }
                }
                app.finish();
            }
            SegmentStore segments = db.segments();
            BlockHeader h = segments.directory().get(0);
            int cpuRef = refOf(db, "cpu");
            int diskRef = refOf(db, "disk");
            try (SegmentStore.Reader first = segments.reader()) {
                first.read(h, new int[] {cpuRef}); // the first read in the process checks the checksum: whole
            }
            try (SegmentStore.Reader a = segments.reader(); SegmentStore.Reader b = segments.reader()) {
                Block cpu = a.read(h, new int[] {cpuRef});
                Block disk = b.read(h, new int[] {diskRef});
                assertSame(cpu, disk, "readers open at once share the block, each adding the frames it reads");
                try (SegmentStore.Reader whole = segments.reader()) {
                    Block all = whole.read(h);
                    assertSame(cpu, all);
                }
            }
            // Through queriers: one metric, then another within the same querier, then a range cut
            // at both edges of the block (a column decoded whole, then kept in part).
            try (Querier q = db.querier(T0, T0 + 499_000)) {
                for (int m = 0; m < METRICS.length; m++) {
                    List<Series> got = q.selectLazily(List.of(Matcher.eq("__name__", METRICS[m])));
                    assertEquals(4, got.size());
                    for (Series s : got) {
                        int sb = Integer.parseInt(s.labels().get("sandbox_name").substring(3));
                        assertSamples(s.samples(new Samples()), m, sb, 0, 500);
                    }
                }
            }
            try (Querier q = db.querier(T0 + 100_500, T0 + 250_000)) {
                List<Series> got = q.select(List.of(Matcher.eq("__name__", "disk")));
                for (Series s : got) {
                    int sb = Integer.parseInt(s.labels().get("sandbox_name").substring(3));
                    assertSamples(s.samples(), 2, sb, 101, 251);
                }
            }
        }
    }

    private static int refOf(Db db, String metric) {
        try (Querier q = db.querier(T0, T0 + 1000)) {
            Labels l = q.select(List.of(Matcher.eq("__name__", metric))).get(0).labels();
            return (int) db.index().ref(l);
        }
    }

    private static void assertSamples(Samples got, int metric, int series, int from, int to) {
        long[] ts = new long[to - from];
        double[] vs = new double[to - from];
        for (int i = from; i < to; i++) {
            ts[i - from] = T0 + i * 1000L;
            vs[i - from] = value(metric, series, i);
        }
        assertEquals(to - from, got.size());
        assertArrayEquals(ts, java.util.Arrays.copyOf(got.timestamps(), got.size()));
        assertArrayEquals(vs, java.util.Arrays.copyOf(got.values(), got.size()));
    }
}
