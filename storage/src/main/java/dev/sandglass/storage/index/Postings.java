package dev.sandglass.storage.index;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The inverted index of the series index: label name -> value -> refs. Most refs are frozen: each
 * (name, value)'s refs as ascending uvarint deltas in {@link PagedBytes} (memory-mapped scratch,
 * outside the heap), found through small per-name arrays of value symbol ids, starts and counts
 * (12 bytes a distinct value on the heap, where a tree entry, a list object and its array took
 * about 90). Series added since the last freeze are in a small delta on the heap (a byte list per
 * value), frozen in with the rest once it holds half as many series as the frozen part (at least
 * {@link #FREEZE_MIN}), and at the end of an open: the work stays in proportion to the series
 * added. Names and values are the interned strings of {@link Symbols}. Not thread-safe:
 * SeriesIndex guards it.
 */
final class Postings {
    static final int FREEZE_MIN = 65_536;
    private final int freezeMin;
    private final Symbols symbols;
    private final ScratchPages scratch;
    private final Map<String, Map<String, IntList>> delta = new HashMap<>();
    private int deltaSeries;
    private int frozenSeries;
    private PagedBytes bytes;
    private Map<String, Frozen> frozen = new HashMap<>();

    /** One name's frozen values: symbol ids ascending, and where each one's refs are. */
    private record Frozen(int[] valueIds, int[] starts, int[] counts) {
        int indexOf(int valueId) {
            return valueId < 0 ? -1 : Arrays.binarySearch(valueIds, valueId);
        }
    }

    Postings(Symbols symbols, ScratchPages scratch) {
        this(symbols, scratch, FREEZE_MIN);
    }

    /** With a freeze every {@code freezeMin} series at least (tests use small ones). */
    Postings(Symbols symbols, ScratchPages scratch, int freezeMin) {
        this.freezeMin = freezeMin;
        this.symbols = symbols;
        this.scratch = scratch;
        this.bytes = new PagedBytes(scratch);
    }

    /** Adds series {@code ref}; {@code l} carries the interned strings of {@link Symbols}. */
    void add(int ref, Labels l) {
        for (int i = 0; i < l.size(); i++) {
            delta.computeIfAbsent(l.name(i), k -> new HashMap<>()).computeIfAbsent(l.value(i), k -> new IntList()).add(ref);
        }
        deltaSeries++;
        if (deltaSeries >= Math.max(freezeMin, frozenSeries / 2)) {
            freeze();
        }
    }

    /** Moves the delta into the frozen part (one pass over both). */
    void freeze() {
        if (deltaSeries == 0) {
            return;
        }
        PagedBytes next = new PagedBytes(scratch);
        Map<String, Frozen> merged = new HashMap<>();
        TreeSet<String> names = new TreeSet<>(frozen.keySet());
        names.addAll(delta.keySet());
        for (String name : names) {
            Frozen old = frozen.get(name);
            Map<String, IntList> d = delta.getOrDefault(name, Map.of());
            TreeSet<Integer> ids = new TreeSet<>();
            if (old != null) {
                for (int id : old.valueIds()) {
                    ids.add(id);
                }
            }
            for (String v : d.keySet()) {
                ids.add(symbols.find(v));
            }
            int[] valueIds = new int[ids.size()];
            int[] starts = new int[valueIds.length];
            int[] counts = new int[valueIds.length];
            int k = 0;
            for (int id : ids) {
                int[] refs = refsOf(old, d, id);
                valueIds[k] = id;
                starts[k] = next.size();
                counts[k] = refs.length;
                int last = 0;
                for (int r : refs) {
                    next.putVarint(r - last);
                    last = r;
                }
                k++;
            }
            merged.put(name, new Frozen(valueIds, starts, counts));
        }
        bytes.release();
        bytes = next;
        frozen = merged;
        frozenSeries += deltaSeries;
        deltaSeries = 0;
        delta.clear();
    }

    /** The refs of value {@code id} in {@code f} and {@code d} together, ascending. */
    private int[] refsOf(Frozen f, Map<String, IntList> d, int id) {
        int i = f == null ? -1 : f.indexOf(id);
        int n = i < 0 ? 0 : f.counts()[i];
        IntList more = d.isEmpty() ? null : d.get(symbols.get(id));
        int[] refs = new int[n + (more == null ? 0 : more.size())];
        if (n > 0) {
            bytes.decodeDeltas(f.starts()[i], n, refs, 0);
        }
        if (more != null) {
            more.copyTo(refs, n);
            if (n > 0 && refs[n] < refs[n - 1]) {
                Arrays.sort(refs); // a ref put back from the map after newer ones (a repaired index)
            }
        }
        return refs;
    }

    private int count(String name, String value) {
        Frozen f = frozen.get(name);
        int i = f == null ? -1 : f.indexOf(symbols.find(value));
        Map<String, IntList> d = delta.get(name);
        IntList more = d == null ? null : d.get(value);
        return (i < 0 ? 0 : f.counts()[i]) + (more == null ? 0 : more.size());
    }

    /** The distinct values of label {@code name} over every series, sorted. */
    List<String> values(String name) {
        TreeSet<String> out = new TreeSet<>(delta.getOrDefault(name, Map.of()).keySet());
        Frozen f = frozen.get(name);
        if (f != null) {
            for (int id : f.valueIds()) {
                out.add(symbols.get(id));
            }
        }
        return List.copyOf(out);
    }

    /** The label names of every series, sorted. */
    List<String> names() {
        TreeSet<String> out = new TreeSet<>(frozen.keySet());
        out.addAll(delta.keySet());
        return List.copyOf(out);
    }

    /** Refs of series matching every matcher, ascending; empty matchers select nothing. */
    int[] select(List<Matcher> matchers, SeriesTable series) {
        if (matchers.isEmpty()) {
            return new int[0];
        }
        // Start from the smallest postings list of an equality matcher on a non-empty value.
        Matcher smallest = null;
        int smallestCount = Integer.MAX_VALUE;
        for (Matcher m : matchers) {
            if (m.type() == Matcher.Type.EQ && !m.value().isEmpty()) {
                int c = count(m.name(), m.value());
                if (c == 0) {
                    return new int[0];
                }
                if (c < smallestCount) {
                    smallest = m;
                    smallestCount = c;
                }
            }
        }
        int[] candidates = null;
        if (smallest != null) {
            candidates = union(smallest);
        } else {
            // Union of postings of values the first non-empty-matching matcher accepts, else everything.
            for (Matcher m : matchers) {
                if (!m.matchesEmpty()) {
                    candidates = union(m);
                    break;
                }
            }
            if (candidates == null) {
                candidates = allRefs(series.size());
            }
        }
        int[] nameIds = new int[matchers.size()];
        // An (in)equality compares symbol ids: no symbol is decoded for it.
        int[] valueIds = new int[matchers.size()];
        for (int i = 0; i < nameIds.length; i++) {
            nameIds[i] = symbols.find(matchers.get(i).name());
            valueIds[i] = symbols.find(matchers.get(i).value());
        }
        int n = 0;
        for (int ref : candidates) {
            if (series.has(ref) && matchesAll(ref, matchers, nameIds, valueIds, series)) {
                candidates[n++] = ref;
            }
        }
        return Arrays.copyOf(candidates, n);
    }

    /** Refs of every series whose value of {@code m}'s name it matches, ascending. */
    private int[] union(Matcher m) {
        Frozen f = frozen.get(m.name());
        Map<String, IntList> d = delta.getOrDefault(m.name(), Map.of());
        // The frozen values it takes: by binary search for an equality, else each value tried.
        int[] taken = new int[0];
        if (f != null && m.type() == Matcher.Type.EQ) {
            int i = f.indexOf(symbols.find(m.value()));
            taken = i < 0 ? taken : new int[] {i};
        } else if (f != null) {
            taken = new int[f.valueIds().length];
            int k = 0;
            for (int i = 0; i < taken.length; i++) {
                if (m.matches(symbols.get(f.valueIds()[i]))) {
                    taken[k++] = i;
                }
            }
            taken = Arrays.copyOf(taken, k);
        }
        int total = 0;
        for (int i : taken) {
            total += f.counts()[i];
        }
        for (var e : d.entrySet()) {
            if (m.matches(e.getKey())) {
                total += e.getValue().size();
            }
        }
        int[] all = new int[total];
        int at = 0;
        for (int i : taken) {
            bytes.decodeDeltas(f.starts()[i], f.counts()[i], all, at);
            at += f.counts()[i];
        }
        for (var e : d.entrySet()) {
            if (m.matches(e.getKey())) {
                e.getValue().copyTo(all, at);
                at += e.getValue().size();
            }
        }
        // A series has one value per name: the lists are disjoint, so sorting is all it takes.
        Arrays.sort(all);
        return all;
    }

    private static int[] allRefs(int n) {
        int[] all = new int[n];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    private boolean matchesAll(int ref, List<Matcher> matchers, int[] nameIds, int[] valueIds, SeriesTable series) {
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
