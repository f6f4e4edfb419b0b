package dev.sandglass.ingest.otlp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OpenTelemetry-to-Prometheus naming rules Prometheus applies to OTLP (with suffixes, names
 * escaped to {@code [a-zA-Z0-9_:]}): the name is split into words at every other character; the
 * unit's main part ("By" becomes bytes) and "per" part ("/s" becomes per_second) are added unless
 * a word already says them; monotonic sums end in {@code total} and gauges of unit "1" in
 * {@code ratio}, each moved to the end; a leading digit gets an underscore. Units in braces
 * ({@code {packets}}) are annotations and add nothing.
 */
public final class OtlpNames {
    private OtlpNames() {
    }

    /** What the name depends on besides the OTel name and unit. */
    public enum Kind { GAUGE, MONOTONIC_COUNTER, NON_MONOTONIC_COUNTER, HISTOGRAM, SUMMARY }

    private static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"), Map.entry("s", "seconds"),
            Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"), Map.entry("ns", "nanoseconds"),
            Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"), Map.entry("MiBy", "mebibytes"),
            Map.entry("GiBy", "gibibytes"), Map.entry("TiBy", "tibibytes"), Map.entry("KBy", "kilobytes"),
            Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"), Map.entry("TBy", "terabytes"),
            Map.entry("m", "meters"), Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"),
            Map.entry("W", "watts"), Map.entry("g", "grams"), Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"),
            Map.entry("1", ""), Map.entry("%", "percent"));

    private static final Map<String, String> PER_UNITS = Map.of(
            "s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y", "year");

    /**
     * The Prometheus metric name of an OTel metric.
     * @throws IllegalArgumentException when nothing usable is left of the name
     */
    public static String metricName(String name, String unit, Kind kind) {
        List<String> words = words(name);
        String u = unit == null ? "" : unit;
        String[] parts = u.split("/", 2);
        String main = parts[0].trim();
        String mainSuffix = main.isEmpty() || main.contains("{") || main.contains("}") ? "" : clean(UNITS.getOrDefault(main, main));
        String perSuffix = "";
        if (parts.length > 1) {
            String per = parts[1].trim();
            if (!per.isEmpty() && !per.contains("{") && !per.contains("}")) {
                perSuffix = clean("per_" + PER_UNITS.getOrDefault(per, per));
            }
        }
        if (words.contains(mainSuffix)) {
            mainSuffix = "";
        }
        if (perSuffix.equals("per_")) {
            perSuffix = "";
        } else {
            perSuffix = trimUnderscoreEnd(perSuffix);
            if (words.contains(perSuffix)) {
                perSuffix = "";
            }
        }
        if (!perSuffix.isEmpty()) {
            mainSuffix = trimUnderscoreEnd(mainSuffix);
        }
        if (!mainSuffix.isEmpty()) {
            words.add(mainSuffix);
        }
        if (!perSuffix.isEmpty()) {
            words.add(perSuffix);
        }
        if (kind == Kind.MONOTONIC_COUNTER) {
            words.removeIf("total"::equals);
            words.add("total");
        }
        if (u.equals("1") && kind == Kind.GAUGE) {
            words.removeIf("ratio"::equals);
            words.add("ratio");
        }
        String out = String.join("_", words);
        if (!out.isEmpty() && Character.isDigit(out.charAt(0))) {
            out = "_" + out;
        }
        if (out.isEmpty() || out.chars().allMatch(c -> c == '_')) {
            throw new IllegalArgumentException("metric name \"" + name + "\" has no character Prometheus can keep");
        }
        return out;
    }

    /**
     * A Prometheus label name for an attribute key: other characters become underscores, a leading
     * digit gets {@code key_}, a single leading underscore {@code key}.
     */
    public static String labelName(String key) {
        if (key.isEmpty()) {
            return key;
        }
        StringBuilder sb = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            sb.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_') ? c : '_');
        }
        String s = sb.toString();
        if (Character.isDigit(s.charAt(0))) {
            return "key_" + s;
        }
        if (s.startsWith("_") && !s.startsWith("__")) {
            return "key" + s;
        }
        return s;
    }

    private static List<String> words(String name) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= name.length(); i++) {
            boolean ok = i < name.length() && validChar(name.charAt(i));
            if (ok && start < 0) {
                start = i;
            } else if (!ok && start >= 0) {
                out.add(name.substring(start, i));
                start = -1;
            }
        }
        return out;
    }

    private static boolean validChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':';
    }

    /** Other characters to underscores, runs of underscores to one, no leading underscore. */
    private static String clean(String unit) {
        StringBuilder sb = new StringBuilder(unit.length());
        for (int i = 0; i < unit.length(); i++) {
            char c = validChar(unit.charAt(i)) ? unit.charAt(i) : '_';
            if (c == '_' && sb.length() > 0 && sb.charAt(sb.length() - 1) == '_') {
                continue;
            }
            sb.append(c);
        }
        String s = sb.toString();
        return s.startsWith("_") ? s.substring(1) : s;
    }

    private static String trimUnderscoreEnd(String s) {
        return s.endsWith("_") ? s.substring(0, s.length() - 1) : s;
    }
}
