package dev.sandglass.web.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.ingest.collect.Collector;
import dev.sandglass.ingest.registry.Layout;
import dev.sandglass.ingest.registry.RegistryLocator;
import dev.sandglass.ingest.registry.RegistryReader;
import dev.sandglass.ingest.registry.RegistryWriter;
import dev.sandglass.ingest.registry.SlotSnapshot;
import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.query.sandbox.HistoryReader;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history answer ({@code GET /api/v1/sandboxes/{name}/metrics}) byte for byte as the code
 * before the column writer gave it: the golden file was written by the point-per-sample writer
 * from a real store filled by the real collector (the scripted fleet: a restart, a stop, fields
 * not reported, a slot reused; and a sandbox with random values, restarts, counter drops, gaps
 * and fields coming and going). Raw and stepped answers, whole and in part; the large random
 * answers are held by their SHA-256 and length, written in small chunks so chunk edges fall
 * everywhere.
 */
class HistoryJsonGoldenTest {
    static final long T0 = 1_764_000_000_000L; // 2025-11-24T16:00:00Z: a fixed time, so the answers are fixed too
    static final int RANDOM_SECONDS = 3000;

    @TempDir
    static Path tmp;
    static Db db;

    @BeforeAll
    static void fill() throws Exception {
        db = Db.open(DbOptions.defaults(tmp.resolve("data")));
        SandboxFleetScript.run(tmp.resolve("shm"), db, T0);
        randomSandbox(tmp.resolve("shm2"));
        db.seal(); // most of it from sealed blocks, as a day of history is read
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
    }

    /** sbx-r: random values at 1 s, with restarts, counters going down, gaps, fields coming and going. */
    static void randomSandbox(Path shm) throws Exception {
        SplittableRandom rnd = new SplittableRandom(42);
        RegistryLocator loc = new RegistryLocator(shm.resolve("home").toString(), "--msb-home", shm);
        try (RegistryWriter w = RegistryWriter.create(loc.path(), 4); RegistryReader reader = new RegistryReader(loc, 1000)) {
            Collector collector = new Collector("host1", false);
            Appender app = db.appender();
            List<SlotSnapshot> slots = new ArrayList<>();
            long start = T0 + 200_000;
            w.activate(0, 9, 1, 900, start - 7_000, "sbx-r");
            int run = 1;
            long disk = 0;
            long vcpu = 0;
            for (int s = 0; s < RANDOM_SECONDS; s++) {
                long now = start + s * 1000L + rnd.nextInt(0, 3) * 1000L / 7; // not always on the second
                if (s % 977 == 500) {
                    w.restart(0, ++run, 900 + run, now + 1500);
                    disk = 0;
                    vcpu = 0;
                    continue;
                }
                if (s % 613 == 300 || (s > 2000 && s < 2010)) {
                    continue; // no sample: short gaps and one of ten seconds
                }
                disk += s % 101 == 50 ? -disk / 2 : rnd.nextLong(0, 1 << 20);
                vcpu += rnd.nextLong(0, 2_000_000_000L);
                RegistryWriter.Sample x = new RegistryWriter.Sample();
                x.sampledAt = now;
                x.flags = s % 50 < 40 ? 0x7f : (s % 50 < 45 ? Layout.F_CPU : 0);
                x.memoryLimit = s % 400 == 7 ? 0 : 1L << 31;
                x.memoryBytes = rnd.nextLong(0, 1L << 31);
                x.memoryAvailable = rnd.nextLong(0, 1L << 31);
                x.memoryHostResident = rnd.nextLong(0, 1L << 33);
                x.cpuPercent = switch (s % 4) {
                    case 0 -> rnd.nextInt(0, 400);
                    case 1 -> rnd.nextInt(0, 40000) / 100f;
                    default -> (float) (rnd.nextDouble() * 400);
                };
                x.vcpuTimeNs = vcpu;
                x.diskRead = disk;
                x.diskWrite = disk / 3 + rnd.nextLong(0, 7);
                x.netRx = rnd.nextLong(0, 1L << 40) >> (s % 40);
                x.netTx = s * 1000L;
                x.upperUsed = rnd.nextLong(0, 1L << 34);
                x.upperFree = rnd.nextLong(0, 1L << 34);
                x.upperHostAllocated = rnd.nextLong(0, 1L << 34);
                w.writeSample(0, x);
                reader.read(slots);
                collector.collect(slots, app, now + 300);
                app.commit();
            }
        }
    }

    /** The answer as the server sends it, in chunks of {@code chunk} bytes. */
    static byte[] answer(String name, Long start, long end, long step, int chunk) {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        JsonBytes b = new JsonBytes(chunk, (c, n) -> sent.write(c, 0, n));
        b.raw(JsonBytes.ascii("{\"status\":\"success\",\"data\":"));
        SandboxJson.history(new HistoryReader(db, 11_000, 100_000).read(name, start, end, step), b);
        b.raw('}').flush();
        return sent.toByteArray();
    }

    /** The asks of the golden file, one a line: name, start (or -), end, step. */
    static final String[][] SMALL = {
        {"sbx-a", "-", "119000", "0"}, {"sbx-a", "-", "119000", "1000"}, {"sbx-a", "55000", "70000", "0"}, {"sbx-a", "-", "200000", "7000"},
        {"sbx-a", "-", "119000", "500"}, {"sbx-b", "-", "119000", "0"}, {"sbx-b", "-", "300000", "3000"}, {"sbx-c", "-", "119000", "0"},
        {"sbx-c", "30500", "45500", "1000"},
    };
    static final String[][] LARGE = {
        {"sbx-r", "-", "3300000", "0"}, {"sbx-r", "-", "3300000", "1000"}, {"sbx-r", "-", "3300000", "60000"},
        {"sbx-r", "900000", "1500000", "0"}, {"sbx-r", "-", "3300000", "333"},
    };

    static byte[] ask(String[] a, int chunk) {
        return answer(a[0], a[1].equals("-") ? null : T0 + Long.parseLong(a[1]), T0 + Long.parseLong(a[2]), Long.parseLong(a[3]), chunk);
    }

    /** The golden file's text: small answers whole, large ones as SHA-256 and length. */
    static String render(int chunk) throws Exception {
        StringBuilder out = new StringBuilder();
        for (String[] a : SMALL) {
            out.append(String.join(" ", a)).append('\n').append(new String(ask(a, chunk), StandardCharsets.UTF_8)).append('\n');
        }
        for (String[] a : LARGE) {
            byte[] b = ask(a, chunk);
            out.append(String.join(" ", a)).append('\n').append(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)))
                    .append(' ').append(b.length).append('\n');
        }
        return out.toString();
    }

    @Test
    void sameBytesAsThePointWriterGave() throws Exception {
        String got = render(SandboxJson.CHUNK_BYTES);
        if (System.getProperty("golden.write") != null) {
            java.nio.file.Files.writeString(Path.of(System.getProperty("golden.write")), got);
        }
        String golden;
        try (InputStream in = getClass().getResourceAsStream("sandbox-history-golden.txt")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(golden, got);
        // The test is not vacuous: the large answers hold thousands of points with restarts and gaps.
        String raw = new String(ask(LARGE[0], 1 << 20), StandardCharsets.UTF_8);
        assertTrue(raw.contains("\"new_run_id\":4") && raw.contains("\"seconds\":10}") && raw.contains("\"cpu_percent\":null"), raw.substring(raw.indexOf("\"gaps\"")));
    }

    /** Over HTTP the answer goes out in chunks whose arrays are reused once sent: the bytes must not change. */
    @Test
    void sameBytesOverHttpWithReusedChunks() throws Exception {
        ApiHandlers h = new ApiHandlers(() -> db, new EngineQueryService(EngineOptions.defaults()),
                new ApiHandlers.Options(60_000, 2, "0.1.0", "abc", "2026-11-29"), List.of());
        try (ApiServer server = ApiServer.start("127.0.0.1", 0, h)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (String[] a : new String[][] {LARGE[4], LARGE[0]}) {
                String q = "end=" + (T0 + Long.parseLong(a[2])) / 1000.0 + (a[3].equals("0") ? "" : "&step=" + Long.parseLong(a[3]) / 1000.0);
                HttpResponse<byte[]> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/v1/sandboxes/" + a[0] + "/metrics?" + q)).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, res.statusCode());
                byte[] want = ask(a, SandboxJson.CHUNK_BYTES);
                assertTrue(want.length > 8 * SandboxJson.CHUNK_BYTES, "several chunks: " + want.length);
                assertArrayEquals(want, res.body(), String.join(" ", a));
            }
        }
    }

    /** A long answer is formatted in pieces, every other one by a helper thread: the same bytes as written in one go. */
    @Test
    void piecesFormattedBesideTheCallerGiveTheSameBytes() {
        var h = new HistoryReader(db, 100_000, 100_000).read("sbx-r", null, T0 + 3_300_000, 100); // ~31,000 points: 4 pieces
        assertTrue(h.points().size() > 3 * HistoryJson.PIECE, "points: " + h.points().size());
        JsonBytes whole = new JsonBytes(16); // no sink: written by the caller alone
        SandboxJson.history(h, whole);
        for (int chunk : new int[] {1000, SandboxJson.CHUNK_BYTES}) {
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            JsonBytes b = new JsonBytes(chunk, (c, n) -> sent.write(c, 0, n));
            SandboxJson.history(h, b);
            b.flush();
            assertArrayEquals(whole.toByteArray(), sent.toByteArray(), "chunk " + chunk);
        }
    }

    @Test
    void chunkSizeDoesNotChangeTheBytes() {
        for (String[] a : LARGE) {
            assertArrayEquals(ask(a, 1 << 22), ask(a, 1000), String.join(" ", a));
        }
    }
}
