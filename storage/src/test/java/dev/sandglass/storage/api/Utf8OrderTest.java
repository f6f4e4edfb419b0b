package dev.sandglass.storage.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Utf8Order compares as the strings' UTF-8 bytes do (Prometheus's order), surrogates included. */
class Utf8OrderTest {
    private static final char[] CHARS = {'a', 'b', 'z', '\u00e9', '\u65e5', '\uFFFD', '\uE000', '\uD7FF', '\uD83D', '\uDE00', '\uDE01'};

    @Test
    void comparesAsTheUtf8Bytes() {
        Random rnd = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            String a = random(rnd);
            String b = random(rnd);
            int expected = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, Integer.signum(Utf8Order.compare(a, b)), a + " vs " + b);
        }
        assertTrue(Utf8Order.compare("\uD83D\uDE00", "\uFFFD") > 0, "U+1F600 sorts after U+FFFD, unlike String.compareTo");
        assertTrue("\uD83D\uDE00".compareTo("\uFFFD") < 0);
    }

    @Test
    void isStrictlySortedRefusesDuplicatesAndUtf16Order() {
        assertTrue(Utf8Order.isStrictlySorted(List.of("a", "b", "\uFFFD", "\uD83D\uDE00")));
        assertFalse(Utf8Order.isStrictlySorted(List.of("a", "\uD83D\uDE00", "\uFFFD")));
        assertFalse(Utf8Order.isStrictlySorted(List.of("a", "a")));
        assertTrue(Utf8Order.isStrictlySorted(List.of()));
    }

    /** A random string of well-formed pairs and lone chars (lone surrogates encode as '?' in UTF-8: left out). */
    private static String random(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            char c = CHARS[rnd.nextInt(CHARS.length)];
            if (c == '\uD83D') {
                sb.append(c).append(rnd.nextBoolean() ? '\uDE00' : '\uDE01');
            } else if (c != '\uDE00' && c != '\uDE01') {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
