package dev.sandglass.storage.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Label values come from the postings in the order of their UTF-8 bytes, as Prometheus sorts
 * them (not String.compareTo's UTF-16 order, which puts U+1F600 before U+FFFD): in the delta, in
 * the frozen part, and both at once with values in both; an equality finds its value by that order.
 */
class LabelValueOrderTest {
    @TempDir
    Path dir;

    private static final String[] ODD = {"", "a", "ab", "b", "Z", "é", "e\u0301", "日本", "\uFFFD", "\uE000", "\uD83D\uDE00", "\uD83D\uDE00x", "~", " "};

    private static List<String> bytesOrder(Set<String> values) {
        List<String> out = new ArrayList<>(values);
        out.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void valuesAreInUtf8ByteOrderInTheDeltaTheFrozenPartAndBoth() {
        Random rnd = new Random(9);
        ScratchPages scratch = new ScratchPages(dir);
        Symbols symbols = new Symbols(scratch);
        SeriesTable table = new SeriesTable(symbols, scratch);
        Postings postings = new Postings(symbols, scratch, 1_000_000); // frozen only when asked
        Set<String> values = new LinkedHashSet<>();
        List<List<Integer>> refsOf = new ArrayList<>();
        for (int ref = 0; ref < 600; ref++) {
            String v = rnd.nextInt(4) == 0 ? ODD[rnd.nextInt(ODD.length)] + rnd.nextInt(50) : ODD[rnd.nextInt(ODD.length)];
            Labels l = v.isEmpty() ? Labels.of("__name__", "m") : Labels.of("__name__", "m", "v", v);
            table.put(ref, l);
            postings.add(ref, table.labels(ref));
            if (!v.isEmpty()) {
                values.add(v);
            }
            if (ref == 199 || ref == 399) {
                assertEquals(bytesOrder(values), postings.values("v"), "after " + (ref + 1) + " series");
                postings.freeze();
                assertEquals(bytesOrder(values), postings.values("v"), "frozen after " + (ref + 1) + " series");
            }
        }
        // 200 series in the delta, many with values the frozen part has too.
        assertEquals(bytesOrder(values), postings.values("v"));
        for (String v : values) {
            int[] expected = java.util.stream.IntStream.range(0, 600).filter(r -> v.equals(table.labels(r).get("v"))).toArray();
            assertArrayEquals(expected, postings.select(List.of(Matcher.eq("v", v)), table), v);
        }
        postings.freeze();
        assertEquals(bytesOrder(values), postings.values("v"));
        assertEquals(List.of("m"), postings.values("__name__"));
        assertEquals(List.of(), postings.values("none"));
        assertArrayEquals(new int[0], postings.select(List.of(Matcher.eq("v", "\uD83D\uDE01")), table));
        scratch.close();
    }
}
