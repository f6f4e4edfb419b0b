package dev.sandglass.ingest.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oversized series are rejected as lines, with their numbers and why, and the import goes on (it
 * used to stop with a Chronicle Map error and import nothing); a repeated timestamp is not
 * counted as stored.
 */
class ImportLimitsTest {
    @TempDir
    Path tmp;

    @Test
    void oversizedSeriesAreRejectedLineByLineAndDuplicatesAreNotCountedAsStored() throws Exception {
        StringBuilder many = new StringBuilder("m{");
        for (int i = 0; i < 20_000; i++) {
            many.append(i == 0 ? "" : ",").append("l").append(i).append("=\"v\"");
        }
        many.append("} 3 3000\n");
        Path f = tmp.resolve("big.prom");
        Files.writeString(f, "m{a=\"x\"} 1 1000\n"
                + "m{a=\"" + "y".repeat(1 << 20) + "\"} 2 2000\n"
                + many
                + "m{a=\"x\"} 4 4000\n"
                + "m{a=\"x\"} 5 4000\n");
        ImportSummary s;
        try (Db db = Db.open(DbOptions.defaults(tmp.resolve("db")).withRetention(100L * 365 * 86_400_000L, 0))) {
            s = new TextImporter(db, new ImportOptions(ImportOptions.Format.AUTO, Long.MIN_VALUE, 1)).importFile(f, ProgressListener.NONE);
            try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                Samples sm = q.select(List.of(Matcher.eq("__name__", "m"))).get(0).samples();
                assertEquals(2, sm.size());
                assertEquals(5.0, sm.value(1), "the last write of a timestamp wins");
            }
        }
        assertEquals(2, s.rejectedLines(), s.format());
        assertEquals(2, s.firstRejections().get(0).line());
        assertTrue(s.firstRejections().get(0).reason().contains("value of label a has 1048576 characters, more than the limit of 4096"),
                s.format());
        assertEquals(3, s.firstRejections().get(1).line());
        assertTrue(s.firstRejections().get(1).reason().contains("20001 labels, more than the limit of 64"), s.format());
        assertEquals(2, s.samples(), "4000 twice is one stored sample: " + s.format());
        assertEquals(1, s.duplicateSamples());
        assertTrue(s.format().contains("duplicate: 1 samples had the timestamp of another sample of their series"), s.format());
    }
}
