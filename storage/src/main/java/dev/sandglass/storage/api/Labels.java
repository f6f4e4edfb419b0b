package dev.sandglass.storage.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * An immutable label set sorted by name, as in Prometheus: the metric name is the label
 * {@code __name__}; labels with empty values are never stored (an empty value means absent).
 * Order and equality follow Prometheus's labels.Compare.
 */
public final class Labels implements Comparable<Labels>, Iterable<Label> {
    public static final String METRIC_NAME = "__name__";
    public static final Labels EMPTY = new Labels(new String[0]);

    /** Alternating names and values, sorted by name, no duplicates, no empty values. */
    private final String[] kv;
    private int hash;

    private Labels(String[] kv) {
        this.kv = kv;
    }

    /** {@code Labels.of("__name__", "up", "job", "api")}; order does not matter; empty values are dropped. */
    public static Labels of(String... nameValues) {
        if (nameValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels need name/value pairs, got " + nameValues.length + " strings");
        }
        Builder b = new Builder();
        for (int i = 0; i < nameValues.length; i += 2) {
            b.set(nameValues[i], nameValues[i + 1]);
        }
        return b.build();
    }

    /**
     * Labels from alternating names and values the caller guarantees are already in this class's
     * form (sorted by name, no duplicates, no empty values), as a store holding them returns them:
     * no sorting, no copy.
     */
    public static Labels ofSorted(String[] kv) {
        return kv.length == 0 ? EMPTY : new Labels(kv);
    }

    public static Labels from(Collection<Label> labels) {
        Builder b = new Builder();
        for (Label l : labels) {
            b.set(l.name(), l.value());
        }
        return b.build();
    }

    public int size() {
        return kv.length / 2;
    }

    public boolean isEmpty() {
        return kv.length == 0;
    }

    public String name(int i) {
        return kv[2 * i];
    }

    public String value(int i) {
        return kv[2 * i + 1];
    }

    /** The value of the label, or "" when absent (Prometheus's convention). */
    public String get(String name) {
        int lo = 0;
        int hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = kv[2 * mid].compareTo(name);
            if (c == 0) {
                return kv[2 * mid + 1];
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return "";
    }

    public boolean has(String name) {
        return !get(name).isEmpty();
    }

    /** The metric name, or "" when there is none. */
    public String metricName() {
        return get(METRIC_NAME);
    }

    public Labels withoutMetricName() {
        return has(METRIC_NAME) ? builder().del(METRIC_NAME).build() : this;
    }

    public Builder builder() {
        Builder b = new Builder();
        for (int i = 0; i < size(); i++) {
            b.map.put(name(i), value(i));
        }
        return b;
    }

    public List<Label> asList() {
        List<Label> out = new ArrayList<>(size());
        for (Label l : this) {
            out.add(l);
        }
        return out;
    }

    @Override
    public Iterator<Label> iterator() {
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < size();
            }

            @Override
            public Label next() {
                if (i >= size()) {
                    throw new NoSuchElementException();
                }
                Label l = new Label(name(i), value(i));
                i++;
                return l;
            }
        };
    }

    @Override
    public int compareTo(Labels o) {
        int n = Math.min(kv.length, o.kv.length);
        for (int i = 0; i < n; i++) {
            int c = kv[i].compareTo(o.kv[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(kv.length, o.kv.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels other && Arrays.equals(kv, other.kv);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(kv);
            hash = h;
        }
        return h;
    }

    /** Prometheus's text form: {@code name{a="b", c="d"}}, or {@code {a="b"}} without a name. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        String name = metricName();
        sb.append(name);
        sb.append('{');
        boolean first = true;
        for (int i = 0; i < size(); i++) {
            if (name(i).equals(METRIC_NAME)) {
                continue;
            }
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(name(i)).append("=\"");
            escape(value(i), sb);
            sb.append('"');
        }
        sb.append('}');
        return sb.toString();
    }

    /** A label value as the Prometheus text format writes it between quotes: backslash, double quote and line feed escaped. */
    public static void escape(String v, StringBuilder sb) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
    }

    /** Mutable builder; {@code set(name, "")} deletes, as in Prometheus. */
    public static final class Builder {
        private final TreeMap<String, String> map = new TreeMap<>();

        public Builder set(String name, String value) {
            if (value == null || value.isEmpty()) {
                map.remove(name);
            } else {
                map.put(name, value);
            }
            return this;
        }

        public Builder del(String... names) {
            for (String n : names) {
                map.remove(n);
            }
            return this;
        }

        public Builder keep(Collection<String> names) {
            map.keySet().retainAll(names);
            return this;
        }

        public String get(String name) {
            return map.getOrDefault(name, "");
        }

        public Labels build() {
            if (map.isEmpty()) {
                return EMPTY;
            }
            String[] kv = new String[map.size() * 2];
            int i = 0;
            for (var e : map.entrySet()) {
                kv[i++] = e.getKey();
                kv[i++] = e.getValue();
            }
            return new Labels(kv);
        }
    }
}
