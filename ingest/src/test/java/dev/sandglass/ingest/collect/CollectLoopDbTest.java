package dev.sandglass.ingest.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.ingest.demo.DemoFleet;
import dev.sandglass.ingest.registry.RegistryLocator;
import dev.sandglass.ingest.registry.RegistryReader;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Series;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Demo fleet -> real registry file -> reader -> collect loop -> Db, then read back after reopening. */
class CollectLoopDbTest {
    @TempDir
    Path tmp;

    private static List<Series> select(Querier q, String name) {
        return q.select(List.of(Matcher.eq("__name__", name)));
    }

    @Test
    void collectionsAreDurableInTheRealStore() {
        RegistryLocator loc = new RegistryLocator(tmp.resolve("home").toString(), "--msb-home", tmp);
        DbOptions opts = DbOptions.defaults(tmp.resolve("data"));
        IngestMetrics metrics = new IngestMetrics();
        try (DemoFleet fleet = new DemoFleet(loc, 5, 1)) {
            fleet.start();
            try (Db db = Db.open(opts);
                 CollectLoop loop = new CollectLoop(new RegistryReader(loc, 1000), db, 1000, "host1", false, metrics)) {
                loop.collectOnce();
                loop.collectOnce();
            }
        }
        assertEquals(0, metrics.failures());
        assertEquals(2, metrics.collections());
        assertTrue(metrics.samples() > 5 * 10, "samples " + metrics.samples());
        try (Db db = Db.open(opts); Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Series> mem = select(q, "microsandbox_memory_limit_bytes");
            assertEquals(5, mem.size(), "one memory-limit series per demo sandbox");
            for (Series s : mem) {
                assertEquals("microsandbox", s.labels().get("job"));
                assertEquals("host1", s.labels().get("instance"));
                assertTrue(s.labels().get("sandbox_name").startsWith("sbx-"), s.labels().toString());
                assertTrue(s.samples().size() > 0);
                assertTrue(s.samples().value(0) > 0);
            }
            assertEquals(5, select(q, "microsandbox_sandbox_run_info").size());
            List<Series> self = select(q, "sandglass_ingest_collections_total");
            assertEquals(1, self.size());
            assertEquals("sandglass", self.get(0).labels().get("job"));
            assertEquals(2.0, self.get(0).samples().value(self.get(0).samples().size() - 1));
        }
    }
}
