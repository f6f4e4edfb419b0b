package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Torn and scribbled files: the newest WAL file, a sealed segment, the series index and its log
 * are truncated or have bytes flipped; a fresh process must start, name the damaged file and
 * offset, keep everything before the damage, copy the damaged file aside (never delete it),
 * serve no wrong value, and take new writes.
 */
class DamagedFilesTest {
    static final int SERIES = 20;
    /** Batches written: the first 100 and 200 are sealed (two blocks), the last 50 only in the WAL. */
    static final int BATCHES = 250;

    @TempDir
    static Path tmp;

    /** What the one child run printed for each damaged store, by its directory. */
    private static final java.util.Map<String, Outcome> outcomes = new java.util.HashMap<>();
    private static final java.util.Map<String, Path> damaged = new java.util.LinkedHashMap<>();

    static Labels labels(int k) {
        return Labels.of("__name__", "d", "k", Integer.toString(k));
    }

    private static Path store(String name) {
        Path dir = tmp.resolve(name);
        try (Db db = Db.open(DbOptions.defaults(dir).withRetention(Long.MAX_VALUE / 4, 0))) {
            Appender a = db.appender();
            long[] refs = new long[SERIES];
            for (int k = 0; k < SERIES; k++) {
                refs[k] = a.seriesRef(labels(k));
            }
            for (int t = 0; t < BATCHES; t++) {
                for (int k = 0; k < SERIES; k++) {
                    a.append(refs[k], 1000L * t, t + k);
                }
                a.commit();
                if (t % 100 == 99) {
                    db.seal();
                }
            }
            db.closeWithoutSeal(); // as a kill would leave it: the last 50 batches only in the WAL
        }
        return dir;
    }

    private static Path newest(Path dir, String glob) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileSystem().getPathMatcher("glob:" + glob).matches(p.getFileName())).sorted()
                    .reduce((x, y) -> y).orElseThrow();
        }
    }

    /** Offset after the last non-zero byte: where the file's content ends (Chronicle files are preallocated). */
    private static long used(Path f) throws Exception {
        byte[] b = Files.readAllBytes(f);
        int i = b.length - 1;
        while (i > 0 && b[i] == 0) {
            i--;
        }
        return i + 1;
    }

    private static void flip(Path f, long at, int n) throws Exception {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            for (int i = 0; i < n; i++) {
                r.seek(at + i);
                int b = r.read();
                r.seek(at + i);
                r.write(b ^ 0x5a);
            }
        }
    }

    private static void truncate(Path f, long len) throws Exception {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(len);
        }
    }

    private record Outcome(String out, String log) {
        long samples() {
            return Long.parseLong(out.split("\n")[0].split(" ")[3]);
        }
    }

    /** Damages one store per scenario, then opens them all in one child JVM (its start-up is the slow part). */
    @org.junit.jupiter.api.BeforeAll
    static void damageAndOpenAll() throws Exception {
        Path wal = newest(store("wal-torn").resolve("wal"), "*.cq4");
        truncate(wal, used(wal) - 3000); // the last ~13 batches' excerpts, the last one cut in two
        damaged.put("wal-torn", wal);
        wal = newest(store("wal-flip").resolve("wal"), "*.cq4");
        flip(wal, used(wal) - 5_000, 8); // inside one excerpt's samples: its checksum fails
        damaged.put("wal-flip", wal);
        Path seg = newest(store("segment-flip").resolve("segments"), "*.cq4");
        flip(seg, used(seg) - 100, 4); // inside the newest block's compressed values
        damaged.put("segment-flip", seg);
        Path map = newest(store("index-truncated").resolve("index"), "series-*.cm");
        truncate(map, used(map) / 2);
        damaged.put("index-truncated", map);
        map = newest(store("index-flipped").resolve("index"), "series-*.cm");
        flip(map, 100, 16);
        damaged.put("index-flipped", map);
        Path log = store("log-torn").resolve("index").resolve("series.log");
        truncate(log, Files.size(log) - 5);
        damaged.put("log-torn", log);

        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                DamageChild.class.getName()));
        for (String name : damaged.keySet()) {
            cmd.add(tmp.resolve(name).toString());
        }
        Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve("child.log").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String log2 = Files.readString(tmp.resolve("child.log"));
        assertEquals(0, p.exitValue(), "stdout: " + out + "\nstderr: " + log2);
        java.util.Map<String, String> outs = split(out);
        java.util.Map<String, String> logs = split(log2);
        for (String name : damaged.keySet()) {
            String dir = tmp.resolve(name).toString();
            outcomes.put(name, new Outcome(outs.getOrDefault(dir, ""), logs.getOrDefault(dir, "")));
        }
    }

    private static java.util.Map<String, String> split(String text) {
        java.util.Map<String, String> parts = new java.util.HashMap<>();
        String key = null;
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.startsWith("=== ")) {
                if (key != null) {
                    parts.put(key, sb.toString());
                }
                key = line.substring(4);
                sb = new StringBuilder();
            } else {
                sb.append(line).append('\n');
            }
        }
        if (key != null) {
            parts.put(key, sb.toString());
        }
        return parts;
    }

    private static Outcome open(String name) {
        return outcomes.get(name);
    }

    private static void assertServesNothingWrong(Outcome o, long atLeast) {
        String[] lines = o.out().split("\n");
        assertTrue(lines[0].startsWith("series " + SERIES + " samples "), o.out() + o.log());
        assertTrue(lines[0].endsWith(" wrong 0"), "no wrong value served: " + o.out());
        assertTrue(o.samples() >= atLeast, "kept everything before the damage: " + o.out() + o.log());
        assertEquals("after " + SERIES + " samples " + (o.samples() + SERIES) + " wrong 0", lines[1], "ingest resumes: " + o.out() + o.log());
    }

    private static void assertCopiedAside(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("damaged"))) {
            assertTrue(s.findAny().isPresent(), "a copy of the damaged file is in damaged/");
        }
    }

    @Test
    void aTornNewestWalFileKeepsEveryExcerptBeforeTheTear() {
        assertServesNothingWrong(open("wal-torn"), (BATCHES - 20) * (long) SERIES);
    }

    @Test
    void aScribbledWalExcerptIsSkippedNamedAndCopiedAside() throws Exception {
        Outcome o = open("wal-flip");
        assertServesNothingWrong(o, (BATCHES - 2) * (long) SERIES);
        assertTrue(o.samples() < BATCHES * (long) SERIES, "the scribbled batch is not served: " + o.out());
        assertTrue(o.log().contains("is damaged (checksum mismatch)") && o.log().contains(damaged.get("wal-flip").getFileName().toString())
                && o.log().contains("at byte "), o.log());
        assertCopiedAside(tmp.resolve("wal-flip"));
    }

    @Test
    void aScribbledSealedBlockIsFoundAtStartUpSetAsideAndNeverServed() throws Exception {
        Outcome o = open("segment-flip");
        assertServesNothingWrong(o, 0);
        assertTrue(o.log().contains("checksum mismatch") && o.log().contains(damaged.get("segment-flip").getFileName().toString())
                && o.log().contains("at byte "), o.log());
        assertTrue(Files.readString(tmp.resolve("segment-flip").resolve("damaged").resolve("blocks.txt")).contains("checksum mismatch"));
        assertCopiedAside(tmp.resolve("segment-flip"));
    }

    @Test
    void aTruncatedOrScribbledSeriesIndexIsRebuiltFromItsLog() throws Exception {
        for (String name : List.of("index-truncated", "index-flipped")) {
            Outcome o = open(name);
            assertServesNothingWrong(o, BATCHES * (long) SERIES);
            assertTrue(o.log().contains("series index " + damaged.get(name) + " is damaged"), o.log());
            assertCopiedAside(tmp.resolve(name));
        }
    }

    @Test
    void aTornSeriesLogKeepsWhatIsBeforeTheTearAndIsCompletedFromTheMap() throws Exception {
        Outcome o = open("log-torn");
        assertServesNothingWrong(o, BATCHES * (long) SERIES);
        assertTrue(o.log().contains("series index log " + damaged.get("log-torn") + " is damaged at byte "), o.log());
        assertCopiedAside(tmp.resolve("log-torn"));
    }
}
