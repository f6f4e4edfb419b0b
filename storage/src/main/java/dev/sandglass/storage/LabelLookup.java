package dev.sandglass.storage;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.index.SeriesIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A querier's label names and label values: from the index's postings when no matcher narrows
 * them, else from the label sets of the series the querier's selection finds (so only series
 * with data in its range count).
 */
final class LabelLookup {
    private LabelLookup() {
    }

    static List<String> names(SeriesIndex index, List<Matcher> matchers, Querier querier) {
        if (matchers.isEmpty()) {
            return index.labelNames(); // every series: the postings know, no label set is decoded
        }
        TreeSet<String> names = new TreeSet<>();
        for (Labels l : matching(index, matchers, querier)) {
            for (int i = 0; i < l.size(); i++) {
                names.add(l.name(i));
            }
        }
        return new ArrayList<>(names);
    }

    static List<String> values(SeriesIndex index, String name, List<Matcher> matchers, Querier querier) {
        if (matchers.isEmpty()) {
            return index.labelValues(name);
        }
        TreeSet<String> values = new TreeSet<>();
        for (Labels l : matching(index, matchers, querier)) {
            if (l.has(name)) {
                values.add(l.get(name));
            }
        }
        return new ArrayList<>(values);
    }

    /** Label sets of matching series with data in range; every series when no matcher is given. */
    private static List<Labels> matching(SeriesIndex index, List<Matcher> matchers, Querier querier) {
        List<Labels> out = new ArrayList<>();
        if (matchers.isEmpty()) {
            int n = index.size();
            for (int ref = 0; ref < n; ref++) {
                Labels l = index.labels(ref);
                if (l != null) {
                    out.add(l);
                }
            }
            return out;
        }
        for (Series s : querier.select(matchers)) {
            out.add(s.labels());
        }
        return out;
    }
}
