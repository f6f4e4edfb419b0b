package dev.sandglass.storage.api;

/**
 * The largest series the index stores. Prometheus sets no limit by default, but the index is a
 * Chronicle Map sized for label sets of about 120 characters: an entry far larger (a 1 MB label
 * value, 20,000 labels) fails inside it. Limits well below that failure, well above any real
 * series (microsandbox's have 5 labels under 200 characters).
 */
public final class SeriesLimits {
    public static final int MAX_LABELS = 64;
    public static final int MAX_NAME_CHARS = 256;
    public static final int MAX_VALUE_CHARS = 4096;
    /** The whole label set, names and values together. */
    public static final int MAX_TOTAL_CHARS = 8192;

    private SeriesLimits() {
    }

    /** Why the label set is too large to store, or null when it fits. */
    public static String check(Labels labels) {
        if (labels.size() > MAX_LABELS) {
            return "series has " + labels.size() + " labels, more than the limit of " + MAX_LABELS;
        }
        long total = 0;
        for (int i = 0; i < labels.size(); i++) {
            String name = labels.name(i);
            String value = labels.value(i);
            if (name.length() > MAX_NAME_CHARS) {
                return "label name of " + name.length() + " characters (" + name.substring(0, 32) + "...), more than the limit of "
                        + MAX_NAME_CHARS;
            }
            if (value.length() > MAX_VALUE_CHARS) {
                return "value of label " + name + " has " + value.length() + " characters, more than the limit of " + MAX_VALUE_CHARS;
            }
            total += name.length() + value.length();
        }
        if (total > MAX_TOTAL_CHARS) {
            return "label set of " + total + " characters, more than the limit of " + MAX_TOTAL_CHARS;
        }
        return null;
    }
}
