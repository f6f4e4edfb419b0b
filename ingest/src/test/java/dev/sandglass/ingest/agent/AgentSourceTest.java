package dev.sandglass.ingest.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.ingest.source.SourceHealthSet;
import dev.sandglass.ingest.source.TestEndpoint;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real HTTP server serving changing HopX-style snapshots, including an agent restart. */
class AgentSourceTest {
    static final String JSON = "application/json";
    @TempDir
    Path tmp;

    static String snapshot(double uptime, int execs, int active, int errors, String endpoints) {
        return "{\"uptime_seconds\": " + uptime + ", \"total_executions\": " + execs + ", \"active_executions\": " + active
                + ", \"error_count\": " + errors + (endpoints == null ? "" : ", \"endpoints\": {" + endpoints + "}") + "}";
    }

    static Samples samples(Db db, String metric, String... kv) {
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Matcher> ms = new ArrayList<>(List.of(Matcher.eq("__name__", metric)));
            for (int i = 0; i < kv.length; i += 2) {
                ms.add(Matcher.eq(kv[i], kv[i + 1]));
            }
            List<Series> s = q.select(ms);
            assertEquals(1, s.size(), metric + " " + s);
            return s.get(0).samples();
        }
    }

    @Test
    void snapshotsBecomeSeriesAndARestartIsACounterReset() throws Exception {
        try (TestEndpoint agent = new TestEndpoint("/metrics"); Db db = Db.open(DbOptions.defaults(tmp.resolve("data")))) {
            SourceHealthSet health = new SourceHealthSet();
            AgentSource src = AgentSource.fromFlag(agent.url("/metrics") + ",interval=1s,sandbox=sbx-1", db, health);
            agent.serve(JSON, snapshot(100, 10, 1, 2, "\"/execute\": {\"requests_total\": 10, \"avg_duration_ms\": 12.5, \"p95_duration_ms\": 40},"
                    + " \"/files\": {\"requests_total\": 3, \"avg_duration_ms\": 2, \"p95_duration_ms\": 5}"));
            src.pollOnce();
            Thread.sleep(5);
            agent.serve(JSON, snapshot(101, 12, 0, 2, "\"/execute\": {\"requests_total\": 12, \"avg_duration_ms\": 11, \"p95_duration_ms\": 30}"));
            src.pollOnce();
            Thread.sleep(20);
            // The agent restarted 10 ms ago and has already done more than before.
            agent.serve(JSON, snapshot(0.01, 15, 0, 0, null));
            src.pollOnce();

            Samples execs = samples(db, "hopx_agent_executions_total", "job", "agent", "sandbox_name", "sbx-1");
            assertEquals(4, execs.size(), "10, 12, the 0 at the new start, 15");
            assertEquals(List.of(10.0, 12.0, 0.0, 15.0), List.of(execs.value(0), execs.value(1), execs.value(2), execs.value(3)));
            assertTrue(execs.timestamp(2) > execs.timestamp(1) && execs.timestamp(2) < execs.timestamp(3));
            Samples avg = samples(db, "hopx_agent_request_duration_avg_seconds", "endpoint", "/execute");
            assertEquals(0.0125, avg.value(0));
            assertEquals(0.011, avg.value(1));
            assertTrue(Values.isStaleNaN(avg.value(2)), "the endpoint map went missing: absent, not zero");
            Samples files = samples(db, "hopx_agent_requests_total", "endpoint", "/files");
            assertEquals(2, files.size());
            assertTrue(Values.isStaleNaN(files.value(1)), "an endpoint that left the map ends");
            assertEquals(0.04, samples(db, "hopx_agent_request_duration_p95_seconds", "endpoint", "/execute").value(0));
            assertEquals(1.0, samples(db, "hopx_agent_active_executions").value(0));
            Samples start = samples(db, "hopx_agent_start_time_seconds");
            assertTrue(start.value(2) - start.value(1) > 99, "the start time moved forward by the restart");
            assertEquals("127.0.0.1:" + agent.port(), labelsOf(db, "hopx_agent_uptime_seconds").get("instance"));
            assertTrue(health.all().get(0).up());
        }
    }

    private static dev.sandglass.storage.api.Labels labelsOf(Db db, String metric) {
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            return q.select(List.of(Matcher.eq("__name__", metric))).get(0).labels();
        }
    }

    @Test
    void aBrokenOrMissingAgentIsReportedAndItsSeriesEnd() throws Exception {
        try (TestEndpoint agent = new TestEndpoint("/metrics"); Db db = Db.open(DbOptions.defaults(tmp.resolve("data")))) {
            SourceHealthSet health = new SourceHealthSet();
            AgentSource src = AgentSource.fromFlag(agent.url("/metrics"), db, health);
            agent.serve(JSON, snapshot(5, 1, 0, 0, null));
            src.pollOnce();
            agent.serve(JSON, "{\"uptime_seconds\": \"soon\"}");
            src.pollOnce();
            assertFalse(src.health().up());
            assertEquals(1, src.health().failures("parse"));
            assertTrue(src.health().lastError().contains("\"uptime_seconds\" must be a number"), src.health().lastError());
            assertTrue(Values.isStaleNaN(samples(db, "hopx_agent_uptime_seconds").value(1)));
            agent.status(404);
            src.pollOnce();
            assertEquals(1, src.health().failures("http_status"));
            assertEquals(2, samples(db, "hopx_agent_uptime_seconds").size(), "stale once");
            StringBuilder metrics = new StringBuilder();
            health.writePrometheusText(metrics);
            assertTrue(metrics.toString().contains("sandglass_source_failures_total{source=\"agent\",target=\"" + agent.url("/metrics")
                    + "\",reason=\"http_status\"} 1"), metrics.toString());
            assertTrue(metrics.toString().contains("sandglass_source_up{source=\"agent\",target=\"" + agent.url("/metrics") + "\"} 0"));
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AgentSource.fromFlag("http://x/m,sandbx=1", null, new SourceHealthSet()))
                .getMessage().contains("unknown key \"sandbx\""));
    }
}
