package dev.sandglass.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An import that stores nothing says so and exits 1 (it used to exit 0 silently). */
class ImportNothingTest {
    @TempDir
    Path tmp;

    @Test
    void anEmptyFileOrOneWithoutSamplesIsAnErrorThatSaysWhy() throws Exception {
        Path empty = tmp.resolve("empty.om");
        Files.writeString(empty, "");
        Path data = tmp.resolve("data");
        CliRun r = CliRun.of("import", empty.toString(), "--data-dir", data.toString());
        assertEquals(1, r.code());
        assertEquals("sandglass import: nothing to import: " + empty + " is empty", r.err().trim());
        assertFalse(Files.exists(data), "an empty file does not create a data dir");

        Path comments = tmp.resolve("comments.om");
        Files.writeString(comments, "# HELP m nothing\n# TYPE m gauge\n# EOF\n");
        r = CliRun.of("import", comments.toString(), "--data-dir", data.toString(), "--retention", "100y");
        assertEquals(1, r.code());
        assertTrue(r.err().trim().endsWith("nothing imported from " + comments + ": it holds no sample lines"), r.err());

        Path bad = tmp.resolve("bad.om");
        Files.writeString(bad, "m oops 1\n# EOF\n");
        r = CliRun.of("import", bad.toString(), "--data-dir", data.toString(), "--retention", "100y");
        assertEquals(1, r.code());
        assertTrue(r.out().contains("line 1: invalid value \"oops\""), r.out());
        assertTrue(r.err().trim().endsWith("every sample line was rejected"), r.err());
    }
}
