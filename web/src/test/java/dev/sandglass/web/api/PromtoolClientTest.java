package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus client against a running Sandglass: promtool's instant and range queries
 * over HTTP on loopback, with the real engine and store. CI installs promtool (Debian package
 * prometheus); without it the test is skipped locally and fails under CI.
 */
class PromtoolClientTest {
    @TempDir
    static Path dir;
    static Db db;
    static ApiServer server;

    @BeforeAll
    static void start() {
        db = Db.open(DbOptions.defaults(dir).withRetention(Long.MAX_VALUE / 4, 0));
        Appender a = db.appender();
        long web = a.seriesRef(Labels.of("__name__", "microsandbox_disk_bytes_written", "sandbox_name", "web", "job", "microsandbox"));
        long db2 = a.seriesRef(Labels.of("__name__", "microsandbox_disk_bytes_written", "sandbox_name", "db", "job", "microsandbox"));
        for (int i = 0; i <= 600; i++) {
            a.append(web, 1_700_000_000_000L + i * 1000L, i * 4096.0);
            // a restart at i = 300: the counter starts again
            a.append(db2, 1_700_000_000_000L + i * 1000L, (i < 300 ? i : i - 300) * 100.0);
        }
        a.commit();
        ApiHandlers h = new ApiHandlers(() -> db, new EngineQueryService(EngineOptions.defaults()),
                new ApiHandlers.Options(60_000, 2, "test", "test", "test"), List.of());
        server = ApiServer.start("127.0.0.1", 0, h);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static void requirePromtool() {
        boolean found = false;
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            found |= new File(p, "promtool").canExecute();
        }
        if (!found) {
            if (System.getenv("CI") == null) {
                System.err.println("WARNING: PromtoolClientTest SKIPPED: promtool is not installed (apt-get install prometheus)");
            }
            Assumptions.assumeTrue(System.getenv("CI") != null, "promtool is not installed (apt-get install prometheus)");
            throw new AssertionError("promtool is not installed but CI is set: .ci/run must install the prometheus package");
        }
    }

    private static String promtool(String... args) throws Exception {
        requirePromtool();
        List<String> cmd = new ArrayList<>();
        cmd.add("promtool");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "promtool failed: " + out);
        return out;
    }

    private static String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Test
    void instantQueryThroughPromtool() throws Exception {
        String out = promtool("query", "instant", "--time=1700000600", url(),
                "sum by (sandbox_name) (rate(microsandbox_disk_bytes_written[5m]))");
        // web grows 4096 B/s; db 100 B/s with a counter reset that rate() corrects for.
        assertTrue(out.contains("{sandbox_name=\"web\"} => 4096 @[1700000600]"), out);
        assertTrue(out.contains("{sandbox_name=\"db\"} => 100 @[1700000600]"), out);
    }

    @Test
    void rangeQueryThroughPromtool() throws Exception {
        String out = promtool("query", "range", "--start=1700000300", "--end=1700000600", "--step=150s", url(),
                "resets(microsandbox_disk_bytes_written{sandbox_name=\"db\"}[10m])");
        assertTrue(out.contains("{job=\"microsandbox\", sandbox_name=\"db\"} =>"), out);
        assertTrue(out.contains("1 @[1700000300]"), out);
        assertTrue(out.contains("1 @[1700000600]"), out);
    }

    @Test
    void parseErrorsReachPromtoolAsBadData() throws Exception {
        requirePromtool();
        Process p = new ProcessBuilder("promtool", "query", "instant", url(), "sum(").redirectErrorStream(true).start();
        p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.exitValue() != 0);
        assertTrue(out.contains("bad_data") && out.contains("parse error"), out);
    }
}
