package dev.sandglass.storage.api;

/** One label pair. The metric name is the label {@code __name__}. */
public record Label(String name, String value) implements Comparable<Label> {
    @Override
    public int compareTo(Label o) {
        int c = name.compareTo(o.name);
        return c != 0 ? c : value.compareTo(o.value);
    }
}
