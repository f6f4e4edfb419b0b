package dev.sandglass.ingest.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.mem.MemStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextImporterTest {
    @TempDir
    Path tmp;

    static Path shared() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared/bench"))) {
                return p.resolve("shared");
            }
        }
        throw new IllegalStateException("shared/ not found above the working directory");
    }

    private Path generate(String format) throws Exception {
        Path out = tmp.resolve("fleet." + format);
        Process p = new ProcessBuilder("python3", shared().resolve("bench/gen_fleet.py").toString(),
                "--sandboxes", "3", "--hours", "0.05", "--seed", "7", "--format", format, "--out", out.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "gen_fleet.py failed");
        return out;
    }

    private static ImportSummary importText(MemStorage store, Path f, long cutoff, int threads) {
        return new TextImporter(store, new ImportOptions(ImportOptions.Format.AUTO, cutoff, threads)).importFile(f, ProgressListener.NONE);
    }

    @Test
    void generatedFleetInBothFormatsMatchesTheText() throws Exception {
        for (String format : List.of("openmetrics", "prometheus")) {
            Path f = generate(format);
            MemStorage store = new MemStorage();
            ImportSummary s = importText(store, f, Long.MIN_VALUE, 2);
            // 3 sandboxes x 8 metrics, 180 collections each
            assertEquals(24, s.series(), format);
            assertEquals(24 * 180, s.samples(), format);
            assertEquals(0, s.rejectedLines(), format + ": " + s.firstRejections());
            assertTrue(s.formatDescription().startsWith(format.equals("openmetrics") ? "openmetrics" : "prometheus"));
            // Check a few lines of the text against what the store returns.
            List<String> lines = Files.readAllLines(f);
            Random rnd = new Random(1);
            try (Querier q = store.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                for (int k = 0; k < 20; k++) {
                    String line = lines.get(1 + rnd.nextInt(lines.size() - 2));
                    if (line.startsWith("#")) {
                        continue;
                    }
                    String[] parts = line.split(" ");
                    String name = parts[0].substring(0, parts[0].indexOf('{'));
                    String sandbox = parts[0].replaceAll(".*sandbox_name=\"([^\"]+)\".*", "$1");
                    long t = format.equals("openmetrics") ? new java.math.BigDecimal(parts[2]).movePointRight(3).longValueExact()
                            : Long.parseLong(parts[2]);
                    List<Series> sel = q.select(List.of(Matcher.eq("__name__", name), Matcher.eq("sandbox_name", sandbox)));
                    assertEquals(1, sel.size());
                    Samples sm = sel.get(0).samples();
                    int i = sm.lowerBound(t);
                    assertEquals(t, sm.timestamp(i));
                    assertEquals(Double.doubleToRawLongBits(Double.parseDouble(parts[1])), Double.doubleToRawLongBits(sm.value(i)), line);
                }
                assertEquals(s.minTimeMs(), q.select(List.of(Matcher.eq("__name__", "microsandbox_uptime_seconds"))).get(0).samples().timestamp(0));
            }
        }
    }

    @Test
    void importsIntoTheRealStoreAndReadsBackAfterReopening() throws Exception {
        Path f = generate("openmetrics");
        Path dir = tmp.resolve("db");
        DbOptions opts = DbOptions.defaults(dir).withRetention(100L * 365 * 86_400_000L, 0);
        ImportSummary s;
        try (Db db = Db.open(opts)) {
            s = new TextImporter(db, ImportOptions.defaults(Long.MIN_VALUE)).importFile(f, ProgressListener.NONE);
        }
        assertEquals(24 * 180, s.samples());
        String line = Files.readAllLines(f).get(1);
        String[] parts = line.split(" ");
        try (Db db = Db.open(opts); Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Series> all = q.select(List.of(new Matcher(Matcher.Type.RE, "__name__", ".+")));
            assertEquals(24, all.size());
            assertEquals(24 * 180, all.stream().mapToInt(x -> x.samples().size()).sum());
            Series first = q.select(List.of(Matcher.eq("__name__", parts[0].substring(0, parts[0].indexOf('{'))),
                    Matcher.eq("sandbox_name", "sbx-0001"))).get(0);
            assertEquals(s.minTimeMs(), first.samples().timestamp(0));
            assertEquals(new java.math.BigDecimal(parts[2]).movePointRight(3).longValueExact(), first.samples().timestamp(0));
            assertEquals(Double.parseDouble(parts[1]), first.samples().value(0));
        }
    }

    @Test
    void rejectsWithLineNumbersAndReasonsAndKeepsTheRest() throws Exception {
        Path f = tmp.resolve("bad.prom");
        Files.writeString(f, String.join("\n",
                "# HELP up whether up",
                "up{job=\"a\"} 1 1000",
                "up{job=\"a\"} 2",
                "up{job=\"a\" 3 3000",
                "9bad 1 1000",
                "up{job=\"a\"} x 4000",
                "up{job=\"a\"} 5 5000 extra",
                "up{job=\"a\",job=\"b\"} 1 1000",
                "up{job=\"a\"} 6 500",
                "") + "\n");
        MemStorage store = new MemStorage();
        ImportSummary s = importText(store, f, Long.MIN_VALUE, 1);
        assertEquals(2, s.samples());
        assertEquals(6, s.rejectedLines());
        List<Rejection> r = s.firstRejections();
        assertEquals(3, r.get(0).line());
        assertTrue(r.get(0).reason().contains("missing timestamp"), r.get(0).reason());
        assertEquals(4, r.get(1).line());
        assertEquals(5, r.get(2).line());
        assertTrue(r.get(2).reason().contains("invalid metric name"));
        assertTrue(r.get(3).reason().contains("invalid value \"x\""));
        assertTrue(r.get(4).reason().contains("unexpected text after the timestamp"));
        assertTrue(r.get(5).reason().contains("duplicate label name"));
        assertTrue(s.format().contains("line 3: missing timestamp"));
        // out of order: 500 comes after 1000 in the file and is stored in order
        try (Querier q = store.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            Samples sm = q.select(List.of(Matcher.eq("__name__", "up"))).get(0).samples();
            assertEquals(500, sm.timestamp(0));
            assertEquals(1000, sm.timestamp(1));
        }
    }

    @Test
    void tooOldSamplesAreReportedNotDropped() throws Exception {
        Path f = tmp.resolve("old.om");
        Files.writeString(f, "m 1 1.5\nm 2 10.001\nm 3 20\n# EOF\n");
        MemStorage store = new MemStorage();
        ImportSummary s = importText(store, f, 10_000, 1);
        assertEquals(1, s.tooOldSamples());
        assertEquals(2, s.samples());
        assertEquals(10_001, s.minTimeMs());
        assertTrue(s.format().contains("1 samples older than the retention window"));
    }

    @Test
    void theCutoffAppliedAtStoreKeepsTheNewerSamplesOfEachSeries() throws Exception {
        // One series wholly too old (not counted as imported), one with old samples between new ones.
        Path f = tmp.resolve("mixed-old.om");
        Files.writeString(f, "old 1 1\nold 2 2\nm 3 30\nm 4 5\nm 5 40\nm 6 9.999\nm 7 10\n# EOF\n");
        MemStorage store = new MemStorage();
        ImportSummary s = importText(store, f, 10_000, 1);
        assertEquals(1, s.series());
        assertEquals(3, s.samples());
        assertEquals(4, s.tooOldSamples());
        assertEquals(10_000, s.minTimeMs());
        assertEquals(40_000, s.maxTimeMs());
        try (Querier q = store.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            assertTrue(q.select(List.of(Matcher.eq("__name__", "old"))).isEmpty());
            Samples m = q.select(List.of(Matcher.eq("__name__", "m"))).get(0).samples();
            assertEquals(3, m.size());
            assertEquals(List.of(10_000L, 30_000L, 40_000L), List.of(m.timestamps()[0], m.timestamps()[1], m.timestamps()[2]));
            assertEquals(List.of(7.0, 3.0, 5.0), List.of(m.values()[0], m.values()[1], m.values()[2]));
        }
    }

    @Test
    void escapesSpecialValuesAndExactSeconds() throws Exception {
        Path f = tmp.resolve("esc.om");
        Files.writeString(f, "m{a=\"x\\\"y\\\\z\\nw\",b=\"é\"} NaN 1763596800.001\nm{a=\"x\\\"y\\\\z\\nw\",b=\"é\"} +Inf 1763596800.002\n"
                + "n -Inf 0.1\nn -0.0 0.2\nn 1e-320 0.3\n# EOF\n", StandardCharsets.UTF_8);
        MemStorage store = new MemStorage();
        ImportSummary s = importText(store, f, Long.MIN_VALUE, 1);
        assertEquals(0, s.rejectedLines(), s.firstRejections().toString());
        try (Querier q = store.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            Series m = q.select(List.of(Matcher.eq("__name__", "m"))).get(0);
            assertEquals(Labels.of("__name__", "m", "a", "x\"y\\z\nw", "b", "é"), m.labels());
            assertEquals(1763596800001L, m.samples().timestamp(0));
            assertTrue(Double.isNaN(m.samples().value(0)));
            assertEquals(Double.POSITIVE_INFINITY, m.samples().value(1));
            Samples n = q.select(List.of(Matcher.eq("__name__", "n"))).get(0).samples();
            assertEquals(Double.NEGATIVE_INFINITY, n.value(0));
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(n.value(1)));
            assertEquals(1e-320, n.value(2));
            assertEquals(300, n.timestamp(2));
        }
    }

    @Test
    void valueParserIsBitExact() {
        Random rnd = new Random(42);
        for (int k = 0; k < 200_000; k++) {
            String s;
            switch (k % 4) {
                case 0 -> s = Double.toString(Double.longBitsToDouble(rnd.nextLong()));
                case 1 -> s = String.format("%.4f", rnd.nextDouble() * 8);
                case 2 -> s = Long.toString(rnd.nextLong() >>> rnd.nextInt(64));
                default -> s = (rnd.nextInt(2000) - 1000) + "." + rnd.nextInt(1000) + "e" + (rnd.nextInt(60) - 30);
            }
            if (s.contains("NaN") || s.contains("Infinity")) {
                continue;
            }
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s)), Double.doubleToRawLongBits(FloatParser.parse(b, 0, b.length)), s);
        }
    }

    @Test
    void hexValuesAreRejectedAsExpositionDoes() {
        for (String s : List.of("0x1p3", "0X10", "1.5f", "1d", "abc", "")) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            assertThrows(NumberFormatException.class, () -> FloatParser.parse(b, 0, b.length), s);
        }
    }

    @Test
    void autoDetectsSecondsWithoutEofAndMillisecondsOtherwise() throws Exception {
        Path om = tmp.resolve("noeof.txt");
        Files.writeString(om, "# TYPE m gauge\nm{a=\"b\"} 1 1763596800.5\n");
        ImportSummary s = importText(new MemStorage(), om, Long.MIN_VALUE, 1);
        assertTrue(s.formatDescription().startsWith("openmetrics (no # EOF"), s.formatDescription());
        assertEquals(1763596800500L, s.minTimeMs());
        Path prom = tmp.resolve("ms.txt");
        Files.writeString(prom, "m{a=\"b\"} 1 1763596800500\n");
        s = importText(new MemStorage(), prom, Long.MIN_VALUE, 1);
        assertTrue(s.formatDescription().startsWith("prometheus"), s.formatDescription());
        assertEquals(1763596800500L, s.minTimeMs());
        Files.writeString(om, "m 1 1763596800\n");
        s = importText(new MemStorage(), om, Long.MIN_VALUE, 1);
        assertEquals(1763596800000L, s.minTimeMs(), s.formatDescription());
    }

    @Test
    void newlineSearchMatchesANaiveScan() {
        Random rnd = new Random(3);
        for (int k = 0; k < 20_000; k++) {
            byte[] b = new byte[rnd.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (rnd.nextInt(8) == 0 ? '\n' : rnd.nextInt(8) == 0 ? 0x0b : rnd.nextInt(256));
            }
            int from = b.length == 0 ? 0 : rnd.nextInt(b.length);
            int naive = -1;
            for (int i = from; i < b.length; i++) {
                if (b[i] == '\n') {
                    naive = i;
                    break;
                }
            }
            assertEquals(naive, TextScan.indexOfNewline(b, from, b.length));
        }
    }

    @Test
    void seriesWhosePrefixRepeatsArePrefixSafe() throws Exception {
        Path f = tmp.resolve("prefix.prom");
        Files.writeString(f, "m 1 1000\nm 2 2000\nmm 3 3000\nm{a=\"b\"} 4 4000\nm{a=\"b\"}\t5 5000\nm{a=\"b\",c=\"d\"} 6 6000\nm 7 7000\n");
        MemStorage store = new MemStorage();
        ImportSummary s = importText(store, f, Long.MIN_VALUE, 1);
        assertEquals(4, s.series());
        assertEquals(7, s.samples());
        try (Querier q = store.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Series> m = q.select(List.of(Matcher.eq("__name__", "m")));
            assertEquals(Labels.of("__name__", "m"), m.get(0).labels());
            assertEquals(3, m.get(0).samples().size());
            assertEquals(2, m.get(1).samples().size());
            assertEquals(1, m.get(2).samples().size());
        }
    }

    @Test
    void unreadableFileIsAClearError() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> importText(new MemStorage(), tmp.resolve("missing.om"), 0, 1));
        assertTrue(e.getMessage().startsWith("cannot read " + tmp.resolve("missing.om")));
    }

    @Test
    void secondsConversionIsDecimalExact() {
        assertEquals(1763596800001L, TextScan.secondsToMs("1763596800.001".getBytes(), 0, 14));
        assertEquals(1500L, TextScan.secondsToMs("1.5".getBytes(), 0, 3));
        assertEquals(2L, TextScan.secondsToMs("0.0015".getBytes(), 0, 6));
        assertEquals(1_000_000L, TextScan.secondsToMs("1e3".getBytes(), 0, 3));
        // Out of a long's range, however written: a rejection (NumberFormatException), never an
        // ArithmeticException that ended the whole import, nor a billion-digit number built first.
        for (String huge : new String[] {"1e9991000", "1e999999999", "9.3e15", "-1e300", "99999999999999999999"}) {
            org.junit.jupiter.api.Assertions.assertThrows(NumberFormatException.class,
                    () -> TextScan.secondsToMs(huge.getBytes(), 0, huge.length()), huge);
        }
        assertEquals(-1500L, TextScan.secondsToMs("-1.5".getBytes(), 0, 4));
    }
}
