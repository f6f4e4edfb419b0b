package dev.sandglass.ingest.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.ingest.demo.DemoFleet;
import dev.sandglass.ingest.registry.RegistryLocator;
import dev.sandglass.ingest.registry.RegistryReader;
import dev.sandglass.ingest.source.SourceHealth;
import dev.sandglass.ingest.source.SourceHealthSet;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Series;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry reports its health as every other source does (sandglass_source_*{source="registry"},
 * at /metrics and stored), beside the loop's own sandglass_ingest_* series, which stay.
 */
class CollectLoopHealthTest {
    @TempDir
    Path tmp;

    private static double last(Querier q, String name, String reason) {
        List<Series> s = q.select(reason == null
                ? List.of(Matcher.eq("__name__", name), Matcher.eq("source", "registry"))
                : List.of(Matcher.eq("__name__", name), Matcher.eq("source", "registry"), Matcher.eq("reason", reason)));
        assertEquals(1, s.size(), name + " " + s);
        assertEquals("sandglass", s.get(0).labels().get("job"));
        return s.get(0).samples().value(s.get(0).samples().size() - 1);
    }

    @Test
    void aMissingRegistryIsADownSourceThenUpOnceItAppears() {
        RegistryLocator loc = new RegistryLocator(tmp.resolve("home").toString(), "--msb-home", tmp);
        SourceHealthSet set = new SourceHealthSet();
        SourceHealth health = set.register("registry", loc.path().toString()).loggedElsewhere();
        IngestMetrics metrics = new IngestMetrics();
        try (Db db = Db.open(DbOptions.defaults(tmp.resolve("data")));
             CollectLoop loop = new CollectLoop(new RegistryReader(loc, 1000), db, 1000, "host1", false, metrics)) {
            loop.reportHealth(health);
            loop.collectOnce();
            loop.collectOnce();
            assertFalse(health.up());
            assertEquals(2, health.failures("not_found"));
            assertEquals(2, metrics.failures(), "the ingest series count the same failures");
            try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                assertEquals(0.0, last(q, "sandglass_source_up", null), "stored even though nothing was collected");
                assertEquals(2.0, last(q, "sandglass_source_failures_total", "not_found"));
            }
            StringBuilder text = new StringBuilder();
            set.writePrometheusText(text);
            assertTrue(text.toString().contains("sandglass_source_up{source=\"registry\",target=\"" + loc.path() + "\"} 0"), text.toString());

            try (DemoFleet fleet = new DemoFleet(loc, 2, 1)) {
                fleet.start();
                loop.collectOnce();
            }
            assertTrue(health.up());
            assertTrue(health.lastSuccessMs() > 0);
            try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                assertEquals(1.0, last(q, "sandglass_source_up", null));
                assertEquals(3.0, last(q, "sandglass_source_attempts_total", null));
                assertEquals(1, q.select(List.of(Matcher.eq("__name__", "sandglass_ingest_collections_total"))).size(),
                        "the loop's own series stay");
            }
        }
    }
}
