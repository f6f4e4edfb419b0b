package dev.sandglass.storage.api;

import java.util.Comparator;
import java.util.List;

/**
 * The order of strings by their UTF-8 bytes (unsigned), which is code point order: how Prometheus
 * sorts label values and names (Go compares strings as bytes). {@link String#compareTo} compares
 * UTF-16 units instead, which differs for characters above U+FFFF (surrogates, 0xD800-0xDFFF)
 * against U+E000-U+FFFF; otherwise the two agree, and this one compares the chars just as fast.
 */
public final class Utf8Order {
    public static final Comparator<String> COMPARATOR = Utf8Order::compare;

    private Utf8Order() {
    }

    public static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return fixUp(x) - fixUp(y);
            }
        }
        return a.length() - b.length();
    }

    /** Whether {@code values} are strictly ascending in this order (no duplicates). */
    public static boolean isStrictlySorted(List<String> values) {
        for (int i = 1; i < values.size(); i++) {
            if (compare(values.get(i - 1), values.get(i)) >= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The distinct strings of {@code lists} in this order. One list already in it (the store's
     * label values are) is returned as it is: a hundred thousand values are not sorted again.
     */
    public static List<String> sortedUnion(List<List<String>> lists) {
        if (lists.size() == 1 && isStrictlySorted(lists.get(0))) {
            return lists.get(0);
        }
        java.util.TreeSet<String> all = new java.util.TreeSet<>(COMPARATOR);
        lists.forEach(all::addAll);
        return new java.util.ArrayList<>(all);
    }

    /** Surrogates moved above U+E000-U+FFFF, so chars compare as the code points they start. */
    private static int fixUp(char c) {
        if (c < 0xD800) {
            return c;
        }
        return c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }
}
