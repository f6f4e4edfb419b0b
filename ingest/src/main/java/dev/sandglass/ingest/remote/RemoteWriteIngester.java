package dev.sandglass.ingest.remote;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.SeriesLimits;

/**
 * Appends a remote-write request's samples. As in Prometheus, a series with invalid labels (here
 * also: labels over the store's {@link SeriesLimits}) and a sample older than the store accepts
 * (here: behind the retention window) are errors the client must not retry: they are left out and reported (the handler answers 400 naming the first), while
 * every other sample of the batch is kept. Samples out of order within a series are fine: the
 * store files them by time (last write wins on an equal timestamp).
 */
public final class RemoteWriteIngester {
    /** Samples appended and rejected, with the first reason and how many series were refused. */
    public record Result(long samples, long rejected, String firstError) {
    }

    private RemoteWriteIngester() {
    }

    /**
     * Decodes a decompressed WriteRequest into {@code appender} (the caller commits).
     * @param minValidT samples before this (unix ms) are rejected as out of bounds
     * @throws RemoteProto.DecodeException for a body that is not a WriteRequest (the caller rolls back)
     */
    public static Result ingest(byte[] body, Appender appender, long minValidT) {
        return ingest(body, 0, body.length, appender, minValidT, null);
    }

    /** As {@link #ingest(byte[], Appender, long)}, knowing series seen before by their bytes in {@code cache}. */
    public static Result ingest(byte[] body, Appender appender, long minValidT, SeriesRefCache cache) {
        return ingest(body, 0, body.length, appender, minValidT, cache);
    }

    /** As {@link #ingest(byte[], Appender, long, SeriesRefCache)} for the request in {@code body[from, to)}. */
    public static Result ingest(byte[] body, int from, int to, Appender appender, long minValidT, SeriesRefCache cache) {
        long[] counts = new long[2];
        String[] first = new String[1];
        SeriesRefCache.Cursor cursor = cache == null ? null : cache.cursor();
        RemoteProto.decodeWrite(body, from, to, cursor, (ref, pairs, nl, keyFrom, keyTo, ts, vs, n) -> {
            if (ref >= 0) {
                appendSamples(appender, ref, ts, vs, n, minValidT, counts, first, null);
                return;
            }
            String invalid = invalid(pairs, nl);
            if (invalid != null) {
                counts[1] += n;
                if (first[0] == null) {
                    first[0] = invalid;
                }
                return;
            }
            Labels labels = Labels.of(java.util.Arrays.copyOf(pairs, 2 * nl));
            String tooLarge = SeriesLimits.check(labels);
            if (tooLarge != null) {
                counts[1] += n;
                if (first[0] == null) {
                    first[0] = tooLarge;
                }
                return;
            }
            long r = appender.seriesRef(labels);
            if (cursor != null && keyFrom >= 0) {
                cursor.put(body, keyFrom, keyTo, r);
            }
            appendSamples(appender, r, ts, vs, n, minValidT, counts, first, labels);
        });
        return new Result(counts[0], counts[1], first[0]);
    }

    private static void appendSamples(Appender appender, long ref, long[] ts, double[] vs, int n, long minValidT, long[] counts,
            String[] first, Labels labels) {
        for (int i = 0; i < n; i++) {
            if (ts[i] < minValidT) {
                counts[1]++;
                if (first[0] == null) {
                    first[0] = "out of bounds: sample at " + ts[i] + " is older than the retention window (before "
                            + minValidT + ")" + (labels == null ? "" : " for series " + labels);
                }
                continue;
            }
            appender.append(ref, ts[i], vs[i]);
            counts[0]++;
        }
    }

    /** Why a label set cannot be stored, or null. */
    static String invalid(String[] pairs, int nl) {
        boolean hasName = false;
        for (int i = 0; i < nl; i++) {
            String name = pairs[2 * i];
            if (!validLabelName(name)) {
                return "invalid label name \"" + name + "\"";
            }
            for (int j = 0; j < i; j++) {
                if (pairs[2 * j].equals(name)) {
                    return "duplicate label name \"" + name + "\"";
                }
            }
            if (name.equals(Labels.METRIC_NAME)) {
                hasName = !pairs[2 * i + 1].isEmpty();
            }
        }
        return hasName ? null : "series without a metric name (__name__)";
    }

    private static boolean validLabelName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
