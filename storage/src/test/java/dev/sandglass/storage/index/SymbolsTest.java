package dev.sandglass.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SymbolsTest {
    @TempDir
    Path dir;

    /** ASCII, non-ASCII (2-, 3- and 4-byte UTF-8), empty, long, and strings sharing a hash code. */
    private static List<String> strings(int n) {
        List<String> out = new ArrayList<>(List.of("", "Aa", "BB", "zoné", "名前", "😀x", "a".repeat(5000), "run-0000001"));
        for (int i = 0; i < n; i++) {
            out.add((i % 3 == 0 ? "sb-" : i % 3 == 1 ? "ü-" : "run-") + i);
        }
        return out;
    }

    @Test
    void internedStringsComeBackEqualByIdAcrossGrowthAndCacheEvictions() {
        try (ScratchPages scratch = new ScratchPages(dir)) {
            Symbols symbols = new Symbols(scratch);
            List<String> all = strings(40_000); // past several rehashes and ten times the cache
            for (int i = 0; i < all.size(); i++) {
                assertEquals(i, symbols.intern(all.get(i)));
            }
            for (int i = all.size() - 1; i >= 0; i--) {
                String s = all.get(i);
                assertEquals(i, symbols.intern(new String(s.toCharArray())), "interned again: " + s);
                assertEquals(i, symbols.find(s));
                assertEquals(s, symbols.get(i));
                assertEquals(s.hashCode(), symbols.hash(i));
                assertTrue(symbols.is(i, s));
            }
            assertEquals(all.size(), symbols.size());
            assertEquals(0, scratch.heapPages(), "the text and tables are in the scratch file");
        }
    }

    @Test
    void unknownStringsAreNotFoundNorEqual() {
        Symbols symbols = new Symbols();
        int zone = symbols.intern("zoné");
        int ascii = symbols.intern("run-1");
        int aa = symbols.intern("Aa");
        assertEquals(-1, symbols.find("BB"), "same hash code as Aa, another string");
        assertEquals(-1, symbols.find("zone"));
        assertEquals(-1, symbols.find("run-10"));
        for (int i = 0; i < 5_000; i++) {
            symbols.intern("other-" + i); // evicts the three from the cache: compared in place
        }
        assertFalse(symbols.is(aa, "BB"));
        assertFalse(symbols.is(zone, "zone"));
        assertFalse(symbols.is(zone, "zoné!"));
        assertFalse(symbols.is(ascii, "run-"));
        assertFalse(symbols.is(ascii, "run-1é"));
        assertFalse(symbols.is(ascii, "run-2"));
        assertTrue(symbols.is(zone, "zoné"));
        assertTrue(symbols.is(ascii, "run-1"));
    }
}
