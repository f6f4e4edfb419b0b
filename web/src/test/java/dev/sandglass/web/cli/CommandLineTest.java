package dev.sandglass.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line end to end: import a file, then query it offline; bad input gives one clear line. */
class CommandLineTest {
    @TempDir
    Path tmp;

    @Test
    void importThenQueryOffline() throws Exception {
        Path f = tmp.resolve("m.om");
        Files.writeString(f, "# TYPE c counter\nc{sandbox_name=\"a\"} 0 1000\nc{sandbox_name=\"a\"} 60 1060\nc{sandbox_name=\"a\"} 120 1120\n"
                + "c{sandbox_name=\"a\"} oops 1180\n# EOF\n");
        Path data = tmp.resolve("data");
        CliRun imp = CliRun.of("import", f.toString(), "--data-dir", data.toString(), "--retention", "100y");
        assertEquals(0, imp.code(), imp.err());
        assertTrue(imp.out().contains("samples:  3"), imp.out());
        assertTrue(imp.out().contains("line 5: invalid value \"oops\""), imp.out());

        CliRun q = CliRun.of("query", "rate(c[2m])", "--time", "1120", "--data-dir", data.toString());
        assertEquals(0, q.code(), q.err());
        assertTrue(q.out().contains("{sandbox_name=\"a\"}  1 @ 1970-01-01T00:18:40Z"), q.out());

        CliRun json = CliRun.of("query", "c", "--time", "1120", "--data-dir", data.toString(), "--json");
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"__name__\":\"c\",\"sandbox_name\":\"a\"},"
                + "\"value\":[1120,\"120\"]}]}}", json.out().trim());

        CliRun range = CliRun.of("query-range", "c", "--start", "1000", "--end", "1120", "--step", "60s", "--data-dir", data.toString());
        assertEquals(0, range.code(), range.err());
        assertTrue(range.out().contains("1970-01-01T00:17:40Z  60"), range.out());

        CliRun bad = CliRun.of("query", "sum(", "--data-dir", data.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().startsWith("sandglass query: 1:5: parse error: "), bad.err());
        assertEquals(1, bad.err().trim().split("\n").length, "one line, no stack trace: " + bad.err());
    }

    @Test
    void badFlagsAndMissingFilesAreOneLine() {
        CliRun missing = CliRun.of("import", tmp.resolve("nope.om").toString(), "--data-dir", tmp.resolve("d").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("cannot read " + tmp.resolve("nope.om")), missing.err());
        CliRun badDuration = CliRun.of("serve", "--retention", "fortnight");
        assertEquals(1, badDuration.code(), "a bad value is one line and exit 1 (2 is for unknown flags)");
        assertTrue(badDuration.err().contains("not a duration: \"fortnight\""), badDuration.err());
        CliRun noData = CliRun.of("query", "up", "--data-dir", tmp.resolve("empty").toString());
        assertEquals(1, noData.code());
        assertTrue(noData.err().contains("no Sandglass data in"), noData.err());
    }

    @Test
    void sizesAndListenAddressesParse() {
        assertEquals(512_000_000L, Converters.parseSize("512MB"));
        assertEquals(10L << 30, Converters.parseSize("10GiB"));
        assertEquals(4096L, Converters.parseSize("4096"));
        assertThrows(CommandLine.TypeConversionException.class, () -> Converters.parseSize("lots"));
        assertEquals(new HostPort("127.0.0.1", 9470), HostPort.parse("127.0.0.1:9470"));
        assertEquals(new HostPort("::1", 80), HostPort.parse("[::1]:80"));
        assertEquals(new HostPort("127.0.0.1", 1), HostPort.parse(":1"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("localhost"));
    }
}
