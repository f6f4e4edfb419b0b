package dev.sandglass.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Values that cannot work are refused before anything starts: one line on stderr, exit 1; unknown flags exit 2. */
class FlagValuesTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--query.max-concurrency|0|must be at least 1, got 0",
        "--query.max-concurrency|-3|must be at least 1, got -3",
        "--query.max-samples|0|must be at least 1, got 0",
        "--query.max-samples|many|not a whole number: \"many\"",
        "--collect-interval|1ms|must be at least 100ms",
        "--collect-interval|0s|duration must be greater than 0",
        "--retention|fortnight|not a duration: \"fortnight\"",
        "--retention-size|0|must be more than 0 bytes",
        "--memory.limit|0|must be more than 0 bytes",
        "--memory.limit|lots|not a size: \"lots\"",
        "--query.timeout|0s|duration must be greater than 0"})
    void serveRefusesValuesThatCannotWork(String flag, String value, String why) {
        // Refused while the command line is read: the data dir is never created.
        Path data = tmp.resolve("never");
        CliRun r = CliRun.of("serve", "--data-dir", data.toString(), "--no-warmup", flag, value);
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("sandglass serve: Invalid value for option '" + flag + "'"), r.err());
        assertTrue(r.err().contains(why), r.err());
        assertTrue(!Files.exists(data), "nothing started");
    }

    @Test
    void unknownFlagsAreUsageErrorsWithExit2() {
        CliRun r = CliRun.of("serve", "--no-such-flag");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("Unknown option: '--no-such-flag'"), r.err());
    }

    @Test
    void missingOptionsAreOneLine() {
        CliRun r = CliRun.of("query-range", "up", "--start", "0");
        assertEquals(1, r.code(), r.err());
        assertEquals("sandglass query-range: Missing required options: '--end=<end>', '--step=<step>'", r.err().strip());
    }

    @Test
    void extremeTimesOfflineAreOneLineNotBadJson() {
        CliRun q = CliRun.of("query", "time()", "--time", "-9223372036854775.808", "--json", "--data-dir", tmp.toString());
        assertEquals(1, q.code(), q.out() + q.err());
        assertEquals("", q.out(), "nothing on stdout");
        assertTrue(q.err().startsWith("sandglass query: invalid parameter \"time\": cannot parse \"-9223372036854775.808\" to a valid timestamp: out of range"), q.err());
        CliRun r = CliRun.of("query-range", "time()", "--start", "-9223372036.854", "--end", "9223372036.854", "--step", "1500000",
                "--json", "--data-dir", tmp.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("exceeded maximum resolution of 11,000 points per timeseries"), r.err());
    }
}
