package dev.sandglass.query.sandbox;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Series;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sandbox names numbered once (slots), and for each fleet-wide select the slot of every series in
 * its answer, kept while the select answers with the same label sets: the views then gather a
 * fleet's fields in arrays by slot instead of looking up every series' name label and hashing it
 * on every read (16 selects of 1024 series each, every second). A select answers with the same
 * label set objects while the index has not grown, so checking them is one reference comparison
 * per series; any other answer (the index grew, another store) is mapped again. Holds names and
 * label sets the index holds anyway (a slot per sandbox name the index holds): no samples.
 * Thread-safe.
 */
final class SeriesSlots {
    /** The slot and sandbox name of each series of one select's answer, and one more label of each (e.g. its run id). */
    record Mapping(Labels[] labels, int[] slots, String[] names, String[] label) {
    }

    private final Map<String, Integer> slotOf = new HashMap<>();
    private final Map<String, Mapping> bySelect = new HashMap<>();

    /**
     * The mapping of {@code series} (the answer of the select named {@code key}; null: not kept),
     * with {@code label}'s value of each series (null: none wanted).
     */
    synchronized Mapping map(String key, List<Series> series, String label) {
        Mapping m = key == null ? null : bySelect.get(key);
        if (m != null && same(m.labels, series)) {
            return m;
        }
        int n = series.size();
        Labels[] labels = new Labels[n];
        int[] slots = new int[n];
        String[] sandboxes = new String[n];
        String[] values = label == null ? null : new String[n];
        for (int i = 0; i < n; i++) {
            Labels l = series.get(i).labels();
            labels[i] = l;
            sandboxes[i] = l.get(SandboxField.NAME_LABEL);
            slots[i] = slot(sandboxes[i]);
            if (values != null) {
                values[i] = l.has(label) ? l.get(label) : null;
            }
        }
        m = new Mapping(labels, slots, sandboxes, values);
        if (key != null) {
            bySelect.put(key, m);
        }
        return m;
    }

    private static boolean same(Labels[] kept, List<Series> series) {
        if (kept.length != series.size()) {
            return false;
        }
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] != series.get(i).labels()) {
                return false;
            }
        }
        return true;
    }

    private int slot(String name) {
        Integer k = slotOf.get(name);
        if (k == null) {
            k = slotOf.size();
            slotOf.put(name, k);
        }
        return k;
    }

    /** The slot of a name, or -1 when it has none yet. */
    synchronized int slotOf(String name) {
        Integer k = slotOf.get(name);
        return k == null ? -1 : k;
    }

    private int[] byName = new int[0];

    /** Every slot, in the order of their names (kept until a slot is added). */
    synchronized int[] byName() {
        if (byName.length != slotOf.size()) {
            String[] names = new String[slotOf.size()];
            slotOf.forEach((n, k) -> names[k] = n);
            byName = java.util.stream.IntStream.range(0, names.length).boxed().sorted(java.util.Comparator.comparing(k -> names[k]))
                    .mapToInt(Integer::intValue).toArray();
        }
        return byName;
    }

    /** Slots handed out so far (every slot of a mapping is below it). */
    synchronized int size() {
        return slotOf.size();
    }
}
