package dev.sandglass.ingest.bulk;

import java.time.Instant;
import java.util.List;

/** What an import did: counts, time range, and every line or sample it did not store, with why. */
public record ImportSummary(String formatDescription, long series, long samples, long minTimeMs, long maxTimeMs,
                            long rejectedLines, List<Rejection> firstRejections, long tooOldSamples,
                            long retentionCutoffMs, long durationNanos, long duplicateSamples) {


    /** Why nothing was stored, when nothing was (else null). */
    public String whyNothing() {
        if (samples > 0) {
            return null;
        }
        if (rejectedLines > 0 && tooOldSamples == 0) {
            return "every sample line was rejected";
        }
        if (tooOldSamples > 0) {
            return "no sample newer than the retention window" + (rejectedLines > 0 ? ", and " + rejectedLines + " lines rejected" : "");
        }
        return "it holds no sample lines";
    }

    /** The summary a person reads after `sandglass import`. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        double secs = durationNanos / 1e9;
        sb.append("format:   ").append(formatDescription).append('\n');
        sb.append("series:   ").append(series).append('\n');
        sb.append("samples:  ").append(samples);
        if (secs > 0) {
            sb.append(String.format(" in %.2f s (%,.0f samples/s)", secs, samples / secs));
        }
        sb.append('\n');
        if (samples > 0) {
            sb.append("range:    ").append(Instant.ofEpochMilli(minTimeMs)).append(" .. ").append(Instant.ofEpochMilli(maxTimeMs)).append('\n');
        }
        if (duplicateSamples > 0) {
            sb.append("duplicate: ").append(duplicateSamples).append(" samples had the timestamp of another sample of their series;"
                    + " the last one in the file was kept\n");
        }
        if (tooOldSamples > 0) {
            sb.append("too old:  ").append(tooOldSamples).append(" samples older than the retention window (before ")
                    .append(Instant.ofEpochMilli(retentionCutoffMs)).append(") were not imported; use --retention (raw) or --rollup-retention (rollups) to keep them\n");
        }
        sb.append("rejected: ").append(rejectedLines).append(" lines\n");
        for (Rejection r : firstRejections) {
            sb.append("  line ").append(r.line()).append(": ").append(r.reason()).append('\n');
        }
        if (rejectedLines > firstRejections.size()) {
            sb.append("  ... and ").append(rejectedLines - firstRejections.size()).append(" more\n");
        }
        return sb.toString();
    }
}
