package dev.sandglass.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.web.api.SandboxFleetScript;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `sandglass restarts` and `sandglass metrics` offline on a data dir the real collector filled. */
class SandboxCommandsTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void fill() throws Exception {
        data = tmp.resolve("data");
        try (Db db = Db.open(DbOptions.defaults(data))) {
            SandboxFleetScript.run(tmp.resolve("shm"), db, (System.currentTimeMillis() - 300_000) / 1000 * 1000);
        }
    }

    @Test
    void restartsTableAndJson() {
        CliRun t = CliRun.of("restarts", "--since", "1h", "--data-dir", data.toString());
        assertEquals(0, t.code(), t.err());
        String[] lines = t.out().split("\n");
        assertEquals(3, lines.length, t.out());
        assertTrue(lines[0].startsWith("TIME "), t.out());
        assertTrue(lines[1].contains("sbx-b") && lines[1].contains(" stop ") && lines[1].contains(" 7 "), lines[1]);
        assertTrue(lines[2].contains("sbx-a") && lines[2].contains(" restart ") && lines[2].contains("1->2") && lines[2].contains("109s")
                && lines[2].contains("4s") && lines[2].contains("973/983/1024 MiB") && lines[2].contains("memory near limit (peak 96% in the last minute)"),
                lines[2]);

        CliRun j = CliRun.of("restarts", "--since", "1h", "--sandbox", "sbx-a", "--json", "--data-dir", data.toString());
        assertEquals(0, j.code(), j.err());
        assertTrue(j.out().startsWith("{\"status\":\"success\",\"data\":[{\"sandbox_name\":\"sbx-a\",\"sandbox_id\":1,\"event\":\"restart\""), j.out());
        assertTrue(j.out().contains("\"memory_near_limit\":true"), j.out());
        assertEquals(1, j.out().split("\"event\"").length - 1, j.out());

        CliRun none = CliRun.of("restarts", "--since", "1m", "--data-dir", data.toString());
        assertEquals("no restarts or stops in that time", none.out().trim());
        CliRun bad = CliRun.of("restarts", "--since", "fortnight", "--data-dir", data.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("invalid parameter \"since\""), bad.err());

        // A sandbox never stored is an error naming it (as the HTTP 404); a known one with none in range is an empty answer.
        CliRun unknown = CliRun.of("restarts", "--sandbox", "sbx-zz", "--data-dir", data.toString());
        assertEquals(1, unknown.code(), unknown.out());
        assertTrue(unknown.err().contains("sandglass restarts: unknown sandbox \"sbx-zz\": no sample of it is stored\n"), unknown.err());
        CliRun quiet = CliRun.of("restarts", "--since", "1m", "--sandbox", "sbx-a", "--data-dir", data.toString());
        assertEquals(0, quiet.code(), quiet.err());
        assertEquals("no restarts or stops in that time", quiet.out().trim());
    }

    @Test
    void metricsOfOneSandbox() {
        CliRun m = CliRun.of("metrics", "sbx-c", "--data-dir", data.toString());
        assertEquals(0, m.code(), m.err());
        assertTrue(m.out().contains("# HELP microsandbox_cpu_utilization_ratio "), m.out());
        assertTrue(m.out().contains("# TYPE microsandbox_cpu_utilization_ratio gauge\nmicrosandbox_cpu_utilization_ratio{instance=\"host1\",job=\"microsandbox\",sandbox_id=\"3\",sandbox_name=\"sbx-c\"} 0.01\n"),
                m.out());
        assertFalse(m.out().contains("sbx-b"));

        CliRun stopped = CliRun.of("metrics", "sbx-b", "--data-dir", data.toString());
        assertEquals(1, stopped.code());
        assertTrue(stopped.err().contains("sandglass metrics: sandbox \"sbx-b\" is not running (stopped; last seen "), stopped.err());
        CliRun unknown = CliRun.of("metrics", "sbx-zz", "--data-dir", data.toString());
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("sandglass metrics: unknown sandbox \"sbx-zz\": no sample of it is stored\n"), unknown.err());
    }
}
