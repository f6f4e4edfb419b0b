package dev.sandglass.storage.index;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** The inverted index of the series index: label name -> value -> refs. Not thread-safe: SeriesIndex guards it. */
final class Postings {
    private final Map<String, TreeMap<String, int[]>> postings = new HashMap<>();
    private final Map<String, TreeMap<String, Integer>> postingSizes = new HashMap<>();

    void add(int ref, Labels l) {
        for (int i = 0; i < l.size(); i++) {
            TreeMap<String, int[]> values = postings.computeIfAbsent(l.name(i), k -> new TreeMap<>());
            TreeMap<String, Integer> sizes = postingSizes.computeIfAbsent(l.name(i), k -> new TreeMap<>());
            int[] list = values.get(l.value(i));
            int size = sizes.getOrDefault(l.value(i), 0);
            if (list == null) {
                list = new int[4];
            } else if (size == list.length) {
                list = Arrays.copyOf(list, size * 2);
            }
            list[size] = ref;
            values.put(l.value(i), list);
            sizes.put(l.value(i), size + 1);
        }
    }

    /** Refs of series matching every matcher, ascending; empty matchers select nothing. {@code byRef}: labels by ref (null: a gap). */
    int[] select(List<Matcher> matchers, List<Labels> byRef) {
        if (matchers.isEmpty()) {
            return new int[0];
        }
        // Start from the smallest postings list of an equality matcher on a non-empty value.
        int[] candidates = null;
        for (Matcher m : matchers) {
            if (m.type() == Matcher.Type.EQ && !m.value().isEmpty()) {
                int[] p = postingsOf(m.name(), m.value());
                if (candidates == null || p.length < candidates.length) {
                    candidates = p;
                }
            }
        }
        if (candidates == null) {
            // Union of postings of values the first non-empty-matching matcher accepts, else everything.
            candidates = allRefs(byRef.size());
            for (Matcher m : matchers) {
                if (!m.matchesEmpty()) {
                    TreeSet<Integer> set = new TreeSet<>();
                    TreeMap<String, int[]> values = postings.get(m.name());
                    if (values != null) {
                        for (String v : values.keySet()) {
                            if (m.matches(v)) {
                                for (int r : postingsOf(m.name(), v)) {
                                    set.add(r);
                                }
                            }
                        }
                    }
                    candidates = set.stream().mapToInt(Integer::intValue).toArray();
                    break;
                }
            }
        }
        int[] out = new int[candidates.length];
        int n = 0;
        for (int ref : candidates) {
            Labels l = byRef.get(ref);
            if (l != null && matchesAll(l, matchers)) {
                out[n++] = ref;
            }
        }
        int[] res = Arrays.copyOf(out, n);
        Arrays.sort(res);
        return res;
    }

    private int[] postingsOf(String name, String value) {
        TreeMap<String, int[]> values = postings.get(name);
        if (values == null || !values.containsKey(value)) {
            return new int[0];
        }
        return Arrays.copyOf(values.get(value), postingSizes.get(name).get(value));
    }

    private static int[] allRefs(int n) {
        int[] all = new int[n];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    static boolean matchesAll(Labels l, List<Matcher> matchers) {
        for (Matcher m : matchers) {
            if (!m.matches(l.get(m.name()))) {
                return false;
            }
        }
        return true;
    }
}
