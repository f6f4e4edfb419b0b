package dev.sandglass.storage.index;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The inverted index of the series index: label name -> value -> refs, the refs of a value in one
 * growable int list (ascending: refs are added in order). Names and values are the interned
 * strings of {@link Symbols}. Not thread-safe: SeriesIndex guards it.
 */
final class Postings {
    private final Map<String, TreeMap<String, IntList>> postings = new HashMap<>();

    void add(int ref, Labels l) {
        for (int i = 0; i < l.size(); i++) {
            postings.computeIfAbsent(l.name(i), k -> new TreeMap<>()).computeIfAbsent(l.value(i), k -> new IntList()).add(ref);
        }
    }

    /** Refs of series matching every matcher, ascending; empty matchers select nothing. */
    int[] select(List<Matcher> matchers, SeriesTable series, Symbols symbols) {
        if (matchers.isEmpty()) {
            return new int[0];
        }
        // Start from the smallest postings list of an equality matcher on a non-empty value.
        IntList smallest = null;
        boolean none = false;
        for (Matcher m : matchers) {
            if (m.type() == Matcher.Type.EQ && !m.value().isEmpty()) {
                IntList p = postingsOf(m.name(), m.value());
                if (p == null) {
                    none = true;
                } else if (smallest == null || p.size() < smallest.size()) {
                    smallest = p;
                }
            }
        }
        if (none) {
            return new int[0];
        }
        int[] candidates = smallest != null ? smallest.toArray() : null;
        if (candidates == null) {
            // Union of postings of values the first non-empty-matching matcher accepts, else everything.
            candidates = allRefs(series.size());
            for (Matcher m : matchers) {
                if (!m.matchesEmpty()) {
                    candidates = union(m);
                    break;
                }
            }
        }
        int[] nameIds = new int[matchers.size()];
        for (int i = 0; i < nameIds.length; i++) {
            nameIds[i] = symbols.find(matchers.get(i).name());
        }
        int n = 0;
        for (int ref : candidates) {
            if (series.has(ref) && matchesAll(ref, matchers, nameIds, series, symbols)) {
                candidates[n++] = ref;
            }
        }
        int[] res = Arrays.copyOf(candidates, n);
        Arrays.sort(res);
        return res;
    }

    private int[] union(Matcher m) {
        TreeMap<String, IntList> values = postings.get(m.name());
        if (values == null) {
            return new int[0];
        }
        int total = 0;
        for (var e : values.entrySet()) {
            if (m.matches(e.getKey())) {
                total += e.getValue().size();
            }
        }
        int[] all = new int[total];
        int at = 0;
        for (var e : values.entrySet()) {
            if (m.matches(e.getKey())) {
                e.getValue().copyTo(all, at);
                at += e.getValue().size();
            }
        }
        // A series has one value per name: the lists are disjoint, so sorting is all it takes.
        Arrays.sort(all);
        return all;
    }

    private IntList postingsOf(String name, String value) {
        TreeMap<String, IntList> values = postings.get(name);
        return values == null ? null : values.get(value);
    }

    private static int[] allRefs(int n) {
        int[] all = new int[n];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    private static boolean matchesAll(int ref, List<Matcher> matchers, int[] nameIds, SeriesTable series, Symbols symbols) {
        for (int i = 0; i < nameIds.length; i++) {
            int v = nameIds[i] < 0 ? -1 : series.valueOf(ref, nameIds[i]);
            if (!matchers.get(i).matches(v < 0 ? "" : symbols.get(v))) {
                return false;
            }
        }
        return true;
    }
}
