package dev.sandglass.query.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one list of conformance cases Sandglass does not pass yet: lines {@code file:line reason}
 * in known-failures.txt beside this class ({@code #} starts a comment). A listed case is reported
 * as aborted with its reason; a listed case that passes fails, so the list stays honest.
 */
final class KnownFailures {
    private final Map<String, String> reasons;

    private KnownFailures(Map<String, String> reasons) {
        this.reasons = reasons;
    }

    static KnownFailures load() {
        Map<String, String> m = new LinkedHashMap<>();
        try (InputStream in = KnownFailures.class.getResourceAsStream("known-failures.txt")) {
            if (in == null) {
                return new KnownFailures(m);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                line = line.trim();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int sp = line.indexOf(' ');
                String key = sp < 0 ? line : line.substring(0, sp);
                String reason = sp < 0 ? "no reason given" : line.substring(sp + 1).trim();
                m.put(key, reason);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("read known-failures.txt", e);
        }
        return new KnownFailures(m);
    }

    /** The reason {@code file:line} is listed, or null. */
    String reason(String id) {
        return reasons.get(id);
    }
}
