package dev.sandglass.storage.mem;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A store held only in memory: the reference behaviour of {@link Storage} for tests of the layers
 * above, and for nothing that must survive a restart. A sample whose timestamp is already present
 * in its series replaces the old value.
 */
public final class MemStorage implements Storage {
    private final List<Labels> labelsByRef = new ArrayList<>();
    private final TreeMap<Labels, Integer> refs = new TreeMap<>();
    private final List<TreeMap<Long, Double>> data = new ArrayList<>();

    private synchronized int ref(Labels labels) {
        Integer r = refs.get(labels);
        if (r == null) {
            r = labelsByRef.size();
            labelsByRef.add(labels);
            data.add(new TreeMap<>());
            refs.put(labels, r);
        }
        return r;
    }

    private synchronized void put(List<long[]> refsTs, List<Double> vals) {
        for (int i = 0; i < refsTs.size(); i++) {
            data.get((int) refsTs.get(i)[0]).put(refsTs.get(i)[1], vals.get(i));
        }
    }

    private final class Batch implements Appender, BulkAppender {
        private final List<long[]> pending = new ArrayList<>();
        private final List<Double> values = new ArrayList<>();

        @Override
        public long seriesRef(Labels labels) {
            return ref(labels);
        }

        @Override
        public void append(long ref, long timestampMs, double value) {
            pending.add(new long[] {ref, timestampMs});
            values.add(value);
        }

        @Override
        public void commit() {
            put(pending, values);
            rollback();
        }

        @Override
        public void rollback() {
            pending.clear();
            values.clear();
        }

        @Override
        public long finish() {
            // One sample per series and timestamp is kept, as the real store keeps.
            java.util.Set<List<Long>> distinct = new java.util.HashSet<>();
            for (long[] p : pending) {
                distinct.add(List.of(p[0], p[1]));
            }
            commit();
            return distinct.size();
        }

        @Override
        public void close() {
            rollback();
        }
    }

    @Override
    public Appender appender() {
        return new Batch();
    }

    @Override
    public BulkAppender bulkAppender() {
        return new Batch();
    }

    @Override
    public synchronized Querier querier(long minT, long maxT) {
        List<Series> all = new ArrayList<>();
        for (var e : refs.entrySet()) {
            Samples s = new Samples();
            for (var p : data.get(e.getValue()).subMap(minT, true, maxT, true).entrySet()) {
                s.add(p.getKey(), p.getValue());
            }
            if (s.size() > 0) {
                Labels l = e.getKey();
                all.add(Series.of(l, s));
            }
        }
        return new Querier() {
            @Override
            public List<Series> select(List<Matcher> matchers) {
                List<Series> out = new ArrayList<>();
                if (matchers.isEmpty()) {
                    return out;
                }
                for (Series s : all) {
                    if (matchesAll(s.labels(), matchers)) {
                        out.add(s);
                    }
                }
                return out;
            }

            /** Copies into the buffer given, as a store decoding into it would: a reader that kept it too long sees it overwritten. */
            @Override
            public List<Series> selectLazily(List<Matcher> matchers) {
                List<Series> out = new ArrayList<>();
                for (Series s : select(matchers)) {
                    out.add(new Series() {
                        @Override
                        public Labels labels() {
                            return s.labels();
                        }

                        @Override
                        public Samples samples() {
                            return s.samples();
                        }

                        @Override
                        public Samples samples(Samples reuse) {
                            Samples src = s.samples();
                            reuse.reset(src.size()).addAll(src.timestamps(), src.values(), 0, src.size());
                            return reuse;
                        }
                    });
                }
                return out;
            }

            @Override
            public List<String> labelNames(List<Matcher> matchers) {
                TreeSet<String> names = new TreeSet<>();
                for (Series s : all) {
                    if (matchers.isEmpty() || matchesAll(s.labels(), matchers)) {
                        for (int i = 0; i < s.labels().size(); i++) {
                            names.add(s.labels().name(i));
                        }
                    }
                }
                return new ArrayList<>(names);
            }

            @Override
            public List<String> labelValues(String name, List<Matcher> matchers) {
                TreeSet<String> vals = new TreeSet<>();
                for (Series s : all) {
                    if ((matchers.isEmpty() || matchesAll(s.labels(), matchers)) && s.labels().has(name)) {
                        vals.add(s.labels().get(name));
                    }
                }
                return new ArrayList<>(vals);
            }

            @Override
            public void close() {
            }
        };
    }

    /** True when every matcher accepts the label set (a missing label reads as ""). */
    public static boolean matchesAll(Labels labels, List<Matcher> matchers) {
        for (Matcher m : matchers) {
            if (!m.matches(labels.get(m.name()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
    }
}
