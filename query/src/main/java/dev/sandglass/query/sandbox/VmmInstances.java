package dev.sandglass.query.sandbox;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.api.RollupSeries;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * VMM instances seen through the sandbox views: a {@link Queryable} over the same store that
 * answers a select of microsandbox series (by name, regex or negation) with the matching VMM
 * series of the /proc source as well, renamed to the sandbox names and their instance_name given
 * as sandbox_name (see {@link VmmMapping}): raw series, rollup windows, label names and values
 * alike. Nothing is copied or stored twice; PromQL sees the store as it is. A VMM instance that
 * has the same name as a sandbox is shown as that sandbox: with the sandbox's own series of a
 * metric where it has some, the VMM's where it has none.
 */
public final class VmmInstances implements Queryable {
    private final Queryable store;

    private VmmInstances(Queryable store) {
        this.store = store;
    }

    /** The store with its VMM instances visible to the sandbox views. */
    public static Queryable over(Queryable store) {
        return store instanceof VmmInstances ? store : new VmmInstances(store);
    }

    @Override
    public Querier querier(long minT, long maxT) {
        return new WithVmms(store.querier(minT, maxT));
    }

    /** A VMM series under a sandbox series' labels; its samples are the store's. */
    private record Renamed(Labels labels, Series of) implements Series {
        @Override
        public Samples samples() {
            return of.samples();
        }

        @Override
        public Samples samples(Samples reuse) {
            return of.samples(reuse);
        }

        @Override
        public boolean last(Samples out) {
            return of.last(out);
        }
    }

    private static RollupSeries renamed(Labels l, RollupSeries r) {
        return new RollupSeries(l, r.resolutionMs(), r.size(), r.windowStart(), r.firstT(), r.lastT(), r.count(), r.sum(), r.min(),
                r.max(), r.first(), r.last(), r.correction(), r.changes(), r.resets());
    }

    private static final class WithVmms implements Querier {
        private final Querier inner;

        WithVmms(Querier inner) {
            this.inner = inner;
        }

        @Override
        public List<Series> select(List<Matcher> matchers) {
            return merge(matchers, inner.select(matchers), inner::select, Series::labels, Renamed::new);
        }

        @Override
        public List<Series> selectLazily(List<Matcher> matchers) {
            return merge(matchers, inner.selectLazily(matchers), inner::selectLazily, Series::labels, Renamed::new);
        }

        @Override
        public List<RollupSeries> selectRollups(List<Matcher> matchers, long resolutionMs, long minT, long maxT) {
            return merge(matchers, inner.selectRollups(matchers, resolutionMs, minT, maxT),
                    ms -> inner.selectRollups(ms, resolutionMs, minT, maxT), RollupSeries::labels, VmmInstances::renamed);
        }

        /** The sandboxes' answer with {@link #vmmPart} added, sorted by labels. */
        private static <T> List<T> merge(List<Matcher> matchers, List<T> sandboxes, Function<List<Matcher>, List<T>> read,
                Function<T, Labels> labels, BiFunction<Labels, T, T> rename) {
            List<T> vmms = vmmPart(matchers, sandboxes, read, labels, rename);
            if (vmms.isEmpty()) {
                return sandboxes;
            }
            List<T> out = new ArrayList<>(sandboxes.size() + vmms.size());
            out.addAll(sandboxes);
            out.addAll(vmms);
            out.sort(Comparator.comparing(labels));
            return out;
        }

        /**
         * What the view adds to the store's answer {@code sandboxes} to a select: the VMM series
         * that mean the same, renamed (each once per sandbox metric of the select it stands for),
         * but for the metrics a sandbox of the same name has series of (see
         * {@link VmmMapping#metricsByName}); for a select by sandbox name alone, the instance's
         * series under their own names.
         */
        private static <T> List<T> vmmPart(List<Matcher> matchers, List<T> sandboxes, Function<List<Matcher>, List<T>> read,
                Function<T, Labels> labels, BiFunction<Labels, T, T> rename) {
            VmmMapping.Select sel = VmmMapping.select(matchers);
            if (sel == null) {
                List<Matcher> byName = VmmMapping.allOfInstance(matchers);
                // Every series of one instance (one sandbox's Prometheus text): under their own names.
                return byName == null ? List.of() : read.apply(byName);
            }
            List<T> found = read.apply(sel.matchers());
            List<Labels> renamed = new ArrayList<>(found.size());
            List<T> of = new ArrayList<>(found.size());
            Set<String> names = new HashSet<>();
            for (T s : found) {
                for (String metric : sel.shownAs(labels.apply(s))) {
                    Labels l = VmmMapping.asSandbox(labels.apply(s), metric);
                    renamed.add(l);
                    of.add(s);
                    names.add(l.get(SandboxField.NAME_LABEL));
                }
            }
            Set<String> own = renamed.isEmpty() ? Set.of() : VmmMapping.metricsByName(sandboxes, labels, names);
            List<T> vmms = new ArrayList<>(renamed.size());
            for (int i = 0; i < renamed.size(); i++) {
                if (!own.contains(VmmMapping.metricOfName(renamed.get(i)))) {
                    vmms.add(rename.apply(renamed.get(i), of.get(i)));
                }
            }
            return vmms;
        }

        /** The labels of the series the view adds to a select (without reading their samples). */
        private List<Labels> vmmLabels(List<Matcher> matchers) {
            List<Labels> out = new ArrayList<>();
            for (Series s : vmmPart(matchers, inner.selectLazily(matchers), inner::selectLazily, Series::labels, Renamed::new)) {
                out.add(s.labels());
            }
            return out;
        }

        @Override
        public long rawStartMs() {
            return inner.rawStartMs();
        }

        /** The store reads the renamed VMM series with its own, in one go. */
        @Override
        public void lastOfEach(List<Series> series, Samples[] out) {
            List<Series> stored = new ArrayList<>(series.size());
            for (Series s : series) {
                stored.add(s instanceof Renamed r ? r.of() : s);
            }
            inner.lastOfEach(stored, out);
        }

        @Override
        public long changes() {
            return inner.changes();
        }

        @Override
        public long newestTimestamp() {
            return inner.newestTimestamp();
        }

        @Override
        public List<String> labelNames(List<Matcher> matchers) {
            List<Labels> vmms = vmmLabels(matchers);
            if (vmms.isEmpty()) {
                return inner.labelNames(matchers);
            }
            TreeSet<String> all = new TreeSet<>(inner.labelNames(matchers));
            for (Labels l : vmms) {
                for (int i = 0; i < l.size(); i++) {
                    all.add(l.name(i));
                }
            }
            return new ArrayList<>(all);
        }

        @Override
        public List<String> labelValues(String name, List<Matcher> matchers) {
            List<Labels> vmms = vmmLabels(matchers);
            if (vmms.isEmpty()) {
                return inner.labelValues(name, matchers);
            }
            TreeSet<String> all = new TreeSet<>(inner.labelValues(name, matchers));
            for (Labels l : vmms) {
                if (l.has(name)) {
                    all.add(l.get(name));
                }
            }
            return new ArrayList<>(all);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
