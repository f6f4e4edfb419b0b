package dev.sandglass.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offline queries on a data dir nobody may write: as root (CI) a read-only bind mount, which
 * refuses writes even to root; otherwise the files' write permission is taken away. The README
 * promises they open the data dir read-only; the series index used to be opened for writing.
 */
class ReadOnlyDataDirTest {
    @TempDir
    Path tmp;

    private static String sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor(30, TimeUnit.SECONDS);
        return p.exitValue() == 0 ? null : out;
    }

    @Test
    void queryAndQueryRangeWorkOnADataDirThatCannotBeWritten() throws Exception {
        Path f = tmp.resolve("m.om");
        Files.writeString(f, "# TYPE g gauge\ng{sandbox_name=\"a\"} 7 1000\ng{sandbox_name=\"a\"} 8 1060\n# EOF\n");
        Path data = tmp.resolve("data");
        CliRun imp = CliRun.of("import", f.toString(), "--data-dir", data.toString(), "--retention", "100y");
        assertEquals(0, imp.code(), imp.err());

        Path ro = tmp.resolve("ro");
        Files.createDirectories(ro);
        boolean mounted = "root".equals(System.getProperty("user.name"))
                && sh("mount", "--bind", data.toString(), ro.toString()) == null;
        try {
            if (mounted) {
                String why = sh("mount", "-o", "remount,bind,ro", ro.toString());
                Assumptions.assumeTrue(why == null, "cannot remount read-only: " + why);
                String probe = sh("touch", ro.resolve("probe").toString());
                assertTrue(probe != null, "the bind mount must refuse writes, even root's");
            } else {
                assertEquals(null, sh("chmod", "-R", "a-w", data.toString()));
                ro = data;
            }
            CliRun q = CliRun.of("query", "g", "--time", "1060", "--data-dir", ro.toString());
            assertEquals(0, q.code(), "query on a read-only data dir: " + q.err());
            assertTrue(q.out().contains("8 @ 1970-01-01T00:17:40Z"), q.out());
            CliRun r = CliRun.of("query-range", "g", "--start", "1000", "--end", "1060", "--step", "60s", "--data-dir", ro.toString());
            assertEquals(0, r.code(), "query-range on a read-only data dir: " + r.err());
            assertTrue(r.out().contains("1970-01-01T00:16:40Z  7"), r.out());

            // Writing it is refused with one line, not a stack trace.
            CliRun serve = CliRun.of("serve", "--data-dir", ro.toString(), "--listen", "127.0.0.1:0", "--no-warmup");
            assertEquals(1, serve.code(), serve.out() + serve.err());
            assertTrue(serve.err().startsWith("sandglass serve: cannot write the data dir " + ro), serve.err());
            assertEquals(1, serve.err().trim().split("\n").length, "one line: " + serve.err());
        } finally {
            if (mounted) {
                sh("umount", "-l", ro.toString());
            } else {
                sh("chmod", "-R", "u+w", data.toString());
            }
        }
    }
}
