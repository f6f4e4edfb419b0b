package dev.sandglass.query.parser;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus durations: {@code 1y2w3d4h5m6s7ms}, units in this order, each at most once. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile(
            "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
    private static final long[] UNIT_MS = {365L * 86_400_000L, 7L * 86_400_000L, 86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};

    private Durations() {
    }

    /**
     * Milliseconds of a duration string.
     *
     * @throws IllegalArgumentException with a message fit for a user when it is not a duration
     */
    public static long parseMillis(String s) {
        if (s.equals("0")) {
            return 0; // as Prometheus's model.ParseDuration
        }
        Matcher m = DURATION.matcher(s);
        if (s.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
        }
        long total = 0;
        for (int i = 0; i < UNIT_MS.length; i++) {
            String g = m.group(i + 1);
            if (g == null) {
                continue;
            }
            try {
                total = Math.addExact(total, Math.multiplyExact(Long.parseLong(g), UNIT_MS[i]));
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("duration out of range: \"" + s + "\"");
            }
        }
        return total;
    }

    /** The shortest Prometheus form of a duration in ms, e.g. 5400000 -> "1h30m", 0 -> "0s". */
    public static String format(long ms) {
        if (ms == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (ms < 0) {
            sb.append('-');
            ms = -ms;
        }
        String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
        for (int i = 0; i < UNIT_MS.length; i++) {
            long n = ms / UNIT_MS[i];
            if (n > 0) {
                sb.append(n).append(units[i]);
                ms -= n * UNIT_MS[i];
            }
        }
        return sb.toString();
    }
}
