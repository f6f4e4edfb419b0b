package dev.sandglass.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code import --memory.limit SIZE}: read like serve's, refused when it cannot work, and the import's budget is half of it. */
class ImportMemoryLimitTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|must be more than 0 bytes",
        "-5MiB|not a size",
        "lots|not a size: \"lots\""})
    void valuesThatCannotWorkAreRefusedBeforeAnythingIsWritten(String value, String why) throws Exception {
        Path f = tmp.resolve("one.om");
        Files.writeString(f, "up{job=\"a\"} 1 1000\n# EOF\n");
        Path data = tmp.resolve("never");
        CliRun r = CliRun.of("import", f.toString(), "--data-dir", data.toString(), "--memory.limit", value);
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("sandglass import: Invalid value for option '--memory.limit'"), r.err());
        assertTrue(r.err().contains(why), r.err());
        assertFalse(Files.exists(data), "nothing written");
    }

    @Test
    void theImportBuffersAQuarterOfHalfTheLimit() throws Exception {
        Path f = tmp.resolve("two.om");
        Files.writeString(f, "up{job=\"a\"} 1 1000\nup{job=\"b\"} 2 1000\n# EOF\n");
        // Half of 64MiB is below any test JVM's heap: the limit decides.
        CliRun r = CliRun.of("import", f.toString(), "--data-dir", tmp.resolve("d").toString(), "--retention", "100y",
                "--memory.limit", "64MiB");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("samples:  2"), r.out());
        assertTrue(r.out().contains("memory:   1 flush: buffers up to 8 MiB of samples and series before each flush (heap 32 MiB)"), r.out());
        r = CliRun.of("import", f.toString(), "--data-dir", tmp.resolve("e").toString(), "--retention", "100y", "--memory.limit=1GB");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(heap 476 MiB)") || r.out().contains("(heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)"), r.out());
    }
}
