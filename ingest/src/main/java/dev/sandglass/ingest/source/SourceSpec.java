package dev.sandglass.ingest.source;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A source flag's value: {@code HEAD[,key=value]...} (--scrape, --agent) or only {@code key=value}
 * pairs (--vmm). Unknown keys are refused by name, with the keys that are known.
 */
public record SourceSpec(String head, Map<String, String> options) {
    private static final Pattern DURATION = Pattern.compile(
            "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
    private static final long[] UNIT_MS = {365L * 86_400_000L, 7L * 86_400_000L, 86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};

    /**
     * @param withHead whether the first comma-separated part is a value of its own (a URL)
     * @throws IllegalArgumentException naming the flag and what is wrong
     */
    public static SourceSpec parse(String flag, String text, boolean withHead, Set<String> keys) {
        String[] parts = text.split(",");
        String head = null;
        int from = 0;
        if (withHead) {
            head = parts[0].trim();
            if (head.isEmpty()) {
                throw new IllegalArgumentException(flag + " \"" + text + "\": the first part must be the URL");
            }
            from = 1;
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = from; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(flag + " \"" + text + "\": expected key=value, got \"" + p + "\"");
            }
            String k = p.substring(0, eq).trim();
            if (!keys.contains(k)) {
                throw new IllegalArgumentException(flag + " \"" + text + "\": unknown key \"" + k + "\" (known: " + String.join(", ", keys) + ")");
            }
            if (options.put(k, p.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException(flag + " \"" + text + "\": \"" + k + "\" given twice");
            }
        }
        return new SourceSpec(head, options);
    }

    /** A Prometheus duration ({@code 15s}, {@code 1m30s}, {@code 500ms}) in milliseconds, greater than 0. */
    public static long durationMs(String what, String s) {
        Matcher m = DURATION.matcher(s);
        long total = 0;
        if (!s.isEmpty() && m.matches()) {
            for (int i = 0; i < UNIT_MS.length; i++) {
                if (m.group(i + 1) != null) {
                    total += Long.parseLong(m.group(i + 1)) * UNIT_MS[i];
                }
            }
        }
        if (total <= 0) {
            throw new IllegalArgumentException(what + ": not a positive duration: \"" + s + "\" (examples: 15s, 1m30s, 500ms)");
        }
        return total;
    }

    public long durationMs(String key, long dflt) {
        String v = options.get(key);
        return v == null ? dflt : durationMs(key, v);
    }
}
