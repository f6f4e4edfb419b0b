package dev.sandglass.storage.index;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The answers of {@link SeriesIndex#selection} by matchers, dropped whenever a series is added:
 * dashboards and the sandbox views repeat the same selects every second, and the postings walk is
 * most of their cost. Not thread-safe: SeriesIndex guards it.
 */
final class SelectCache {
    private static final int SELECT_CACHE = 256;
    private static final int SELECT_CACHE_MAX_SERIES = 65_536;
    private final Map<List<Matcher>, SeriesIndex.Selection> selected = new HashMap<>();
    private int selectedSeries;

    /** The series matching every matcher, from the cache or the postings (then cached when not too many). */
    SeriesIndex.Selection get(List<Matcher> matchers, Postings postings, SeriesTable series) {
        SeriesIndex.Selection sel = selected.get(matchers);
        if (sel == null) {
            int[] refs = postings.select(matchers, series);
            Labels[] byRefOrder = new Labels[refs.length];
            boolean inOrder = true;
            for (int i = 0; i < refs.length; i++) {
                byRefOrder[i] = series.labels(refs[i]);
                inOrder = inOrder && (i == 0 || byRefOrder[i - 1].compareTo(byRefOrder[i]) < 0);
            }
            // Churned series (a run's series made one after another) are mostly in label order already.
            sel = inOrder ? new SeriesIndex.Selection(refs, refs, byRefOrder) : sortedByLabels(refs, byRefOrder);
            if (refs.length > SELECT_CACHE_MAX_SERIES) {
                return sel; // a select of (nearly) everything: not worth holding its arrays
            }
            // The cache's labels are decoded copies: bound what all its answers hold together.
            if (selected.size() >= SELECT_CACHE || selectedSeries + refs.length > SELECT_CACHE_MAX_SERIES) {
                clear();
            }
            selected.put(List.copyOf(matchers), sel);
            selectedSeries += refs.length;
        }
        return sel;
    }

    void clear() {
        selected.clear();
        selectedSeries = 0;
    }

    private static SeriesIndex.Selection sortedByLabels(int[] refs, Labels[] byRefOrder) {
        Integer[] order = new Integer[refs.length];
        for (int i = 0; i < refs.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> byRefOrder[a].compareTo(byRefOrder[b]));
        int[] byLabels = new int[refs.length];
        Labels[] labels = new Labels[refs.length];
        for (int i = 0; i < refs.length; i++) {
            byLabels[i] = refs[order[i]];
            labels[i] = byRefOrder[order[i]];
        }
        return new SeriesIndex.Selection(refs, byLabels, labels);
    }
}
