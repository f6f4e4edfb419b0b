package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.query.engine.QueryResult;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-up's store is written once and copied for later starts: a copy must answer exactly
 * what the written store answers (the head's two minutes included), and a kept copy that is
 * damaged must be written again rather than warm nothing.
 */
class WarmupStoreTest {
    private static final String[] QUERIES = {
        "sum(count_over_time(microsandbox_memory_usage_bytes[10m]))",
        "sum by (sandbox_name) (rate(microsandbox_network_bytes_received[1m]))",
        "sum(count_over_time(microsandbox_cpu_utilization_ratio{sandbox_name=\"capacity-1\"}[1h]))",
    };

    @Test
    void aCopyOfTheKeptStoreAnswersAsTheWrittenOne(@TempDir Path parent) throws Exception {
        Path kept = parent.resolve("kept");
        String written = answers(parent.resolve("a"), kept);
        assertTrue(Files.isRegularFile(kept.resolve(WarmupStore.TAILS)), "kept");
        assertFalse(Files.exists(kept.resolve("LOCK")));
        String copied = answers(parent.resolve("b"), kept);
        assertEquals(written, copied);
        assertTrue(written.contains("capacity-") || written.length() > 100, written);
    }

    @Test
    void aDamagedKeptStoreIsWrittenAgain(@TempDir Path parent) throws Exception {
        Path kept = parent.resolve("kept");
        String written = answers(parent.resolve("a"), kept);
        Files.writeString(kept.resolve(WarmupStore.TAILS), "not a time\n");
        assertEquals(written, answers(parent.resolve("b"), kept));
        assertNotEquals("not a time\n", Files.readString(kept.resolve(WarmupStore.TAILS)));
    }

    /** Every build keeps a copy and a killed serve leaves its working copy: old ones go, the one in use and others' files stay. */
    @Test
    void oldWarmupStoresArePrunedButTheOneInUse(@TempDir Path parent) throws Exception {
        long now = System.currentTimeMillis();
        long old = now - WarmupStore.STALE_MS - 60_000;
        Path kept = parent.resolve("sandglass-warmup-1f86-1a22-12x1");
        String[] names = {kept.getFileName().toString(), "sandglass-warmup-1e00-1a00-12x1", "sandglass-warmup-123456", "sandglass-warmup-789",
            "not-ours"};
        for (String n : names) {
            Files.createDirectories(parent.resolve(n).resolve("segments"));
            Files.writeString(parent.resolve(n).resolve("segments").resolve("x"), "x");
            Files.setLastModifiedTime(parent.resolve(n), java.nio.file.attribute.FileTime.fromMillis(n.equals("sandglass-warmup-789") ? now : old));
        }
        assertEquals(2, WarmupStore.prune(parent, kept, Files.getOwner(parent), now));
        assertTrue(Files.exists(kept.resolve("segments").resolve("x")), "the one in use");
        assertFalse(Files.exists(parent.resolve("sandglass-warmup-1e00-1a00-12x1")));
        assertFalse(Files.exists(parent.resolve("sandglass-warmup-123456")));
        assertTrue(Files.exists(parent.resolve("sandglass-warmup-789")), "a fresh working copy");
        assertTrue(Files.exists(parent.resolve("not-ours")));
    }

    /** Prepares a store in {@code dir} as the warm-up does and returns its answers to a few queries, as text. */
    private static String answers(Path dir, Path kept) throws Exception {
        Files.createDirectories(dir);
        WarmupFleet.Bulk bulk = WarmupStore.prepare(dir, kept, 5, 1);
        EngineQueryService engine = new EngineQueryService(EngineOptions.defaults());
        StringBuilder out = new StringBuilder();
        try (Db db = Db.open(DbOptions.defaults(dir).withRetention(WarmupStore.RETENTION_MS, 0))) {
            long last = WarmupFleet.head(db, bulk.tails(), bulk.last());
            out.append(last).append('\n');
            for (String q : QUERIES) {
                // From the fleet's start (the capacity history is the day before it) to the head's last sample.
                QueryResult r = engine.range(db, q, WarmupFleet.T0 - 3_600_000L, last, 60_000, 60_000, () -> false);
                StringBuilder text = new StringBuilder();
                ResultJson.write(r, new JsonWriter(text));
                out.append(text).append('\n');
            }
        }
        return out.toString();
    }
}
