package dev.sandglass.ingest.bulk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.mem.MemStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-pass reading of plain sample lines gives exactly what the general path gives, or declines. */
class PlainSampleTest {
    @TempDir
    Path tmp;

    private static String randomValue(Random rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> Long.toString(rnd.nextLong() % 1_000_000_000_000L);
            case 1 -> Double.toString(rnd.nextDouble() * Math.pow(10, rnd.nextInt(12)));
            case 2 -> (rnd.nextBoolean() ? "-" : "") + rnd.nextInt(100) + "." + "0".repeat(rnd.nextInt(4)) + rnd.nextInt(100_000);
            case 3 -> Double.toString(rnd.nextGaussian());
            case 4 -> "0.0" + rnd.nextInt(1000);
            case 5 -> rnd.nextInt(10_000) + ".0";
            case 6 -> "-0.0";
            default -> String.format("%.17g", rnd.nextDouble() * 1000).replace(',', '.');
        };
    }

    private static String randomSeconds(Random rnd) {
        long secs = 1_700_000_000L + rnd.nextInt(100_000_000);
        return switch (rnd.nextInt(5)) {
            case 0 -> Long.toString(secs);
            case 1 -> secs + "." + rnd.nextInt(10);
            case 2 -> secs + "." + String.format("%03d", rnd.nextInt(1000));
            case 3 -> secs + "." + String.format("%06d", rnd.nextInt(1_000_000));
            default -> Long.toString(rnd.nextInt(1000));
        };
    }

    @Test
    void agreesWithTheGeneralPathOrDeclines() {
        Random rnd = new Random(11);
        PlainSample ps = new PlainSample();
        int taken = 0;
        for (int k = 0; k < 200_000; k++) {
            boolean seconds = rnd.nextBoolean();
            String value = randomValue(rnd);
            String ts = seconds ? randomSeconds(rnd) : Long.toString(1_700_000_000_000L + rnd.nextInt(1 << 30));
            String text = value + " " + ts + "\nnext";
            byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
            if (ps.read(b, 0, b.length, seconds)) {
                taken++;
                String msg = text;
                assertEquals(Double.doubleToRawLongBits(FloatParser.parse(b, 0, value.length())), Double.doubleToRawLongBits(ps.value), msg);
                int tsFrom = value.length() + 1;
                int tsTo = tsFrom + ts.length();
                long want = seconds ? TextScan.secondsToMs(b, tsFrom, tsTo) : TextScan.millis(b, tsFrom, tsTo);
                assertEquals(want, ps.timestampMs, msg);
                assertEquals(tsTo + 1, ps.next, msg);
            }
        }
        // The fast path must actually be taken for the usual shapes, not decline everything.
        assertTrue(taken > 100_000, "taken " + taken);
    }

    @Test
    void takesTheReferenceShapes() {
        PlainSample ps = new PlainSample();
        byte[] b = "0.0108 1763596799.998\n".getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(ps.read(b, 0, b.length, true));
        assertEquals(0.0108, ps.value);
        assertEquals(1763596799998L, ps.timestampMs);
        b = "-5529.0 1763596799998\n".getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(ps.read(b, 0, b.length, false));
        assertEquals(-5529.0, ps.value);
        assertEquals(1763596799998L, ps.timestampMs);
    }

    @Test
    void declinesWhatOnlyTheGeneralPathReadsOrRejects() {
        PlainSample ps = new PlainSample();
        for (String s : List.of("1e3 1000\n", "NaN 1000\n", "+Inf 1000\n", "1  1000\n", "1\t1000\n", "1 1000\r\n",
                "1 1000 # {a=\"b\"} 1\n", "1 1000", "1 1000.0001\n", "1 -1000\n", "1234567890123456 1000\n", "1 \n", "1\n",
                ".5 1000\n", "5. 1000\n", "1 12345678901234567.5\n", "x 1000\n", "1 10x0\n")) {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            assertFalse(ps.read(b, 0, b.length, true), s);
        }
        byte[] ms = "1 1000.5\n".getBytes(StandardCharsets.ISO_8859_1);
        assertFalse(ps.read(ms, 0, ms.length, false), "a fraction in Prometheus text milliseconds");
    }

    @Test
    void eightDigitsAtOnce() {
        Random rnd = new Random(5);
        for (int k = 0; k < 10_000; k++) {
            String d = String.format("%08d", rnd.nextInt(100_000_000));
            byte[] b = d.getBytes(StandardCharsets.ISO_8859_1);
            long x = 0;
            for (int i = 7; i >= 0; i--) {
                x = x << 8 | (b[i] & 0xFF);
            }
            assertTrue(PlainSample.allDigits(x), d);
            assertEquals(Long.parseLong(d), PlainSample.eightDigits(x), d);
            int at = rnd.nextInt(8);
            byte bad = (byte) "/:.- a\n\u00b0".charAt(rnd.nextInt(8));
            assertFalse(PlainSample.allDigits(x & ~(0xFFL << (8 * at)) | (bad & 0xFFL) << (8 * at)), d + " with " + bad + " at " + at);
        }
    }

    @Test
    void linesOnBothPathsKeepTheirNumbersAndSamples() throws Exception {
        // Plain lines (fast path) between lines only the general path reads or rejects.
        Path f = tmp.resolve("mixed.om");
        Files.writeString(f, "m{a=\"1\"} 1 1000\nm{a=\"1\"} 2 1001\nm{a=\"1\"} oops 1002\nm{a=\"1\"} 1e1 1003\n"
                + "m{a=\"1\"} 5 1004\r\nm{a=\"1\"} 6 1005.25 # {x=\"y\"} 1\nm{a=\"1\"} 7\nm{a=\"2\"} 8 1007\nm{a=\"2\"} 9 1008\n# EOF\n");
        MemStorage store = new MemStorage();
        ImportSummary s = new TextImporter(store, new ImportOptions(ImportOptions.Format.AUTO, Long.MIN_VALUE, 1))
                .importFile(f, ProgressListener.NONE);
        assertEquals(2, s.rejectedLines(), s.firstRejections().toString());
        assertEquals(3, s.firstRejections().get(0).line());
        assertEquals(7, s.firstRejections().get(1).line());
        assertEquals(7, s.samples());
        try (Querier q = store.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            List<Series> one = q.select(List.of(Matcher.eq("a", "1")));
            assertEquals(Labels.of("__name__", "m", "a", "1"), one.get(0).labels());
            Samples sm = one.get(0).samples();
            assertEquals(List.of(1_000_000L, 1_001_000L, 1_003_000L, 1_004_000L, 1_005_250L),
                    List.of(sm.timestamps()[0], sm.timestamps()[1], sm.timestamps()[2], sm.timestamps()[3], sm.timestamps()[4]));
            assertEquals(10.0, sm.values()[2]);
            assertEquals(2, q.select(List.of(Matcher.eq("a", "2"))).get(0).samples().size());
        }
    }
}
