package dev.sandglass.storage.index;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Utf8Order;
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
 * added. Names and values are the interned strings of {@link Symbols}. Selects are
 * {@link PostingsSearch}. Not thread-safe: SeriesIndex guards it.
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

    /**
     * One name's frozen values: symbol ids in the order of their UTF-8 bytes (the order label
     * values are answered in, so no answer sorts them), and where each one's refs are.
     */
    private record Frozen(int[] valueIds, int[] starts, int[] counts) {
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

    /** Moves the delta into the frozen part (one pass over both, merged in byte order). */
    void freeze() {
        if (deltaSeries == 0) {
            return;
        }
        PagedBytes next = new PagedBytes(scratch);
        Map<String, Frozen> merged = new HashMap<>();
        TreeSet<String> names = new TreeSet<>(frozen.keySet());
        names.addAll(delta.keySet());
        int[] buf = new int[16];
        for (String name : names) {
            Frozen old = frozen.get(name);
            int[] oldIds = old == null ? new int[0] : old.valueIds();
            Map<String, IntList> d = delta.getOrDefault(name, Map.of());
            String[] dv = d.keySet().toArray(new String[0]);
            Arrays.sort(dv, Utf8Order.COMPARATOR);
            int[] dIds = new int[dv.length];
            for (int j = 0; j < dv.length; j++) {
                dIds[j] = symbols.find(dv[j]);
            }
            int[] valueIds = new int[oldIds.length + dv.length];
            int[] starts = new int[valueIds.length];
            int[] counts = new int[valueIds.length];
            int i = 0;
            int j = 0;
            int k = 0;
            while (i < oldIds.length || j < dv.length) {
                int c = i == oldIds.length ? 1 : j == dv.length ? -1 : symbols.compare(oldIds[i], dIds[j]);
                int n = c <= 0 ? old.counts()[i] : 0;
                IntList more = c >= 0 ? d.get(dv[j]) : null;
                int total = n + (more == null ? 0 : more.size());
                if (total > buf.length) {
                    buf = new int[Math.max(total, 2 * buf.length)];
                }
                if (n > 0) {
                    bytes.decodeDeltas(old.starts()[i], n, buf, 0);
                }
                if (more != null) {
                    more.copyTo(buf, n);
                    if (n > 0 && buf[n] < buf[n - 1]) {
                        Arrays.sort(buf, 0, total); // a ref put back from the map after newer ones (a repaired index)
                    }
                }
                valueIds[k] = c <= 0 ? oldIds[i++] : dIds[j];
                j += c >= 0 ? 1 : 0;
                starts[k] = next.size();
                counts[k] = total;
                int last = 0;
                for (int r = 0; r < total; r++) {
                    next.putVarint(buf[r] - last);
                    last = buf[r];
                }
                k++;
            }
            merged.put(name, new Frozen(Arrays.copyOf(valueIds, k), Arrays.copyOf(starts, k), Arrays.copyOf(counts, k)));
        }
        bytes.release();
        bytes = next;
        frozen = merged;
        frozenSeries += deltaSeries;
        deltaSeries = 0;
        delta.clear();
    }

    /** The position of value symbol {@code valueId} in {@code f} (by the byte order), or -1. */
    private int indexOf(Frozen f, int valueId) {
        if (f == null || valueId < 0) {
            return -1;
        }
        int[] ids = f.valueIds();
        int lo = 0;
        int hi = ids.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = symbols.compare(ids[mid], valueId);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** How many series have {@code value} for label {@code name}. */
    int count(String name, String value) {
        Frozen f = frozen.get(name);
        int i = indexOf(f, symbols.find(value));
        Map<String, IntList> d = delta.get(name);
        IntList more = d == null ? null : d.get(value);
        return (i < 0 ? 0 : f.counts()[i]) + (more == null ? 0 : more.size());
    }

    /**
     * The distinct values of label {@code name} over every series, in the order of their UTF-8
     * bytes (as Prometheus sorts them): the frozen ones are held in that order, the few in the
     * delta are merged in. Each value is decoded once; none is sorted or hashed.
     */
    List<String> values(String name) {
        Frozen f = frozen.get(name);
        int[] ids = f == null ? new int[0] : f.valueIds();
        String[] dv = delta.getOrDefault(name, Map.of()).keySet().toArray(new String[0]);
        Arrays.sort(dv, Utf8Order.COMPARATOR);
        String[] out = new String[ids.length + dv.length];
        int i = 0;
        int j = 0;
        int k = 0;
        String v = null; // the frozen value at i, decoded and not yet written
        while (i < ids.length || j < dv.length) {
            if (v == null && i < ids.length) {
                v = symbols.decode(ids[i]);
            }
            int c = v == null ? 1 : j == dv.length ? -1 : Utf8Order.compare(v, dv[j]);
            if (c <= 0) {
                out[k++] = v;
                v = null;
                i++;
                j += c == 0 ? 1 : 0;
            } else {
                out[k++] = dv[j++];
            }
        }
        return Arrays.asList(k == out.length ? out : Arrays.copyOf(out, k));
    }

    /** The label names of every series, sorted. */
    List<String> names() {
        TreeSet<String> out = new TreeSet<>(frozen.keySet());
        out.addAll(delta.keySet());
        return List.copyOf(out);
    }

    /** Refs of series matching every matcher, ascending; empty matchers select nothing (see {@link PostingsSearch}). */
    int[] select(List<Matcher> matchers, SeriesTable series) {
        return PostingsSearch.select(this, symbols, matchers, series);
    }

    /** Refs of every series whose value of {@code m}'s name it matches, ascending. */
    int[] union(Matcher m) {
        Frozen f = frozen.get(m.name());
        Map<String, IntList> d = delta.getOrDefault(m.name(), Map.of());
        // The frozen values it takes: by binary search for an equality, else each value tried.
        int[] taken = new int[0];
        if (f != null && m.type() == Matcher.Type.EQ) {
            int i = indexOf(f, symbols.find(m.value()));
            taken = i < 0 ? taken : new int[] {i};
        } else if (f != null) {
            taken = new int[f.valueIds().length];
            int k = 0;
            for (int i = 0; i < taken.length; i++) {
                if (m.matches(symbols.decode(f.valueIds()[i]))) {
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
}
