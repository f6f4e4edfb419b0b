package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.RollupSeries;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seal leaves none of the segment or rollup files it wrote mapped in the process: their written
 * pages used to stay resident (counted in serve's RSS) until the appender filled its 16 MB chunk.
 * What was written is all there afterwards, for queries, for the next seal and after a reopen.
 */
class SealMappingsTest {
    private static final int SERIES = 2_000;
    private static final int SAMPLES = 60;
    private static final Matcher METRIC = new Matcher(Matcher.Type.EQ, "__name__", "m_sealed");

    @TempDir
    Path dir;

    /** Segment and rollup cycle files this process maps (from /proc/self/maps); the WAL being written stays mapped. */
    private List<String> mappedStoreFiles() throws IOException {
        // Chronicle unmaps on its background releaser thread: let it finish what it was given.
        net.openhft.chronicle.core.io.BackgroundResourceReleaser.releasePendingResources();
        String root = dir.toRealPath().toString();
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .map(l -> l.split("\\s+", 6))
                .filter(f -> f.length == 6 && f[5].startsWith(root) && f[5].endsWith(".cq4")
                        && (f[5].contains("/segments/") || f[5].contains("/rollups/")))
                .map(f -> f[5].substring(root.length()))
                .distinct()
                .collect(Collectors.toList());
    }

    private static void write(Db db, long t0, int round) {
        Appender a = db.appender();
        Random rnd = new Random(round);
        for (int k = 0; k < SERIES; k++) {
            long ref = a.seriesRef(Labels.of("__name__", "m_sealed", "k", Integer.toString(k)));
            for (int i = 0; i < SAMPLES; i++) {
                a.append(ref, t0 + i * 15_000L, rnd.nextDouble() * 1e6); // values that hardly compress: a few MB of blocks
            }
        }
        a.commit();
    }

    private static void assertAllBack(Db db, int rounds, String when) {
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Series> got = q.select(List.of(METRIC));
            assertEquals(SERIES, got.size(), when + ": series");
            for (Series s : got) {
                Samples xs = s.samples();
                assertEquals(rounds * SAMPLES, xs.size(), when + ": samples of " + s.labels());
            }
        }
    }

    @Test
    void sealedFilesAreNotLeftMapped() throws IOException {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "needs Linux's /proc/self/maps");
        long t0 = (System.currentTimeMillis() / 3_600_000L - 3) * 3_600_000L;
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            write(db, t0, 1);
            db.seal();
            assertTrue(db.blockCount() > 0, "the seal wrote blocks");
            assertEquals(List.of(), mappedStoreFiles(), "segment and rollup files still mapped after the seal");
            assertAllBack(db, 1, "after the seal");
            try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                List<RollupSeries> r = q.selectRollups(List.of(METRIC), 300_000L, Long.MIN_VALUE, Long.MAX_VALUE);
                assertEquals(SERIES, r.size(), "rollups of the sealed series");
            }

            assertTrue(mappedStoreFiles().stream().anyMatch(f -> f.startsWith("/segments/")), "the reads' tailers wait for the next query");

            // The next seal maps the files again to append, and lets go of them again, and of the
            // files those reads mapped (a server nobody queries never runs the idle release).
            write(db, t0 + SAMPLES * 15_000L, 2);
            db.seal();
            assertEquals(List.of(), mappedStoreFiles(), "segment and rollup files still mapped after the second seal");
            assertAllBack(db, 2, "after the second seal");
        }
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            assertAllBack(db, 2, "after a reopen");
        }
    }
}
