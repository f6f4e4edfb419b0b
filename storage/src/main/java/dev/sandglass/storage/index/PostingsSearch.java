package dev.sandglass.storage.index;

import dev.sandglass.storage.api.Matcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The search side of {@link Postings}: which series match a list of matchers. Equalities
 * intersect their postings lists; every other matcher is checked on the candidates' own labels
 * (as symbol ids in {@link SeriesTable}). Not thread-safe: SeriesIndex guards the postings.
 */
final class PostingsSearch {
    private PostingsSearch() {
    }

    /**
     * Refs of series matching every matcher, ascending; empty matchers select nothing. The
     * equalities on non-empty values intersect their postings, smallest first (a list much longer
     * than the candidates left is not decoded: the candidates' own labels are checked instead);
     * the other matchers are checked on each candidate's labels.
     */
    static int[] select(Postings postings, Symbols symbols, List<Matcher> matchers, SeriesTable series) {
        if (matchers.isEmpty()) {
            return new int[0];
        }
        List<Matcher> eqs = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (Matcher m : matchers) {
            if (m.type() == Matcher.Type.EQ && !m.value().isEmpty()) {
                int c = postings.count(m.name(), m.value());
                if (c == 0) {
                    return new int[0];
                }
                int at = 0;
                while (at < counts.size() && counts.get(at) <= c) {
                    at++;
                }
                eqs.add(at, m);
                counts.add(at, c);
            }
        }
        List<Matcher> rest = new ArrayList<>(matchers);
        int[] candidates = null;
        int n = 0;
        for (int e = 0; e < eqs.size(); e++) {
            if (candidates != null && counts.get(e) > 8L * n) {
                break; // the rest are checked on the few candidates left
            }
            int[] refs = postings.union(eqs.get(e));
            n = candidates == null ? refs.length : intersect(candidates, n, refs);
            candidates = candidates == null ? refs : candidates;
            rest.remove(eqs.get(e));
        }
        if (candidates == null) {
            // Union of postings of values the first non-empty-matching matcher accepts, else everything.
            for (Matcher m : matchers) {
                if (!m.matchesEmpty()) {
                    candidates = postings.union(m);
                    rest.remove(m);
                    break;
                }
            }
            if (candidates == null) {
                candidates = allRefs(series.size());
            }
            n = candidates.length;
        }
        int[] nameIds = new int[rest.size()];
        // An (in)equality compares symbol ids: no symbol is decoded for it.
        int[] valueIds = new int[rest.size()];
        for (int i = 0; i < nameIds.length; i++) {
            nameIds[i] = symbols.find(rest.get(i).name());
            valueIds[i] = symbols.find(rest.get(i).value());
        }
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int ref = candidates[i];
            if (series.has(ref) && matchesAll(ref, rest, nameIds, valueIds, series, symbols)) {
                candidates[kept++] = ref;
            }
        }
        return Arrays.copyOf(candidates, kept);
    }

    /** Keeps the first {@code n} of {@code a} that are in {@code b} (both ascending), in place; how many are kept. */
    private static int intersect(int[] a, int n, int[] b) {
        int kept = 0;
        int j = 0;
        for (int i = 0; i < n && j < b.length; i++) {
            while (j < b.length && b[j] < a[i]) {
                j++;
            }
            if (j < b.length && b[j] == a[i]) {
                a[kept++] = a[i];
            }
        }
        return kept;
    }

    private static int[] allRefs(int n) {
        int[] all = new int[n];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    private static boolean matchesAll(int ref, List<Matcher> matchers, int[] nameIds, int[] valueIds, SeriesTable series, Symbols symbols) {
        for (int i = 0; i < nameIds.length; i++) {
            int v = nameIds[i] < 0 ? -1 : series.valueOf(ref, nameIds[i]);
            Matcher m = matchers.get(i);
            boolean ok = switch (m.type()) {
                case EQ -> v < 0 ? m.value().isEmpty() : v == valueIds[i];
                case NEQ -> v < 0 ? !m.value().isEmpty() : v != valueIds[i];
                default -> m.matches(v < 0 ? "" : symbols.get(v));
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
