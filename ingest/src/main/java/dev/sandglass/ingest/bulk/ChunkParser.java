package dev.sandglass.ingest.bulk;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.SeriesLimits;
import dev.sandglass.storage.api.Samples;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Parses one byte range of a text file (starting at a line start) into per-series sample arrays
 * (all of them: the retention cutoff is applied when they are stored). One per thread. The series
 * part of a line is compared byte for byte with the previous line's, so runs of the same series
 * (the usual layout) cost no lookup and no String.
 */
final class ChunkParser {
    static final int MAX_REJECTIONS_KEPT = 20;

    /** A series as this chunk saw it: its labels and its samples. */
    record LocalSeries(Labels labels, Samples samples) {
    }

    private final FileChannel channel;
    private final long start;
    private final long end;
    private final boolean secondsTimestamps;
    final AtomicLong bytesDone = new AtomicLong();
    final AtomicLong samplesDone = new AtomicLong();

    final List<LocalSeries> series = new ArrayList<>();
    private final Map<String, Integer> idsByText = new HashMap<>();
    final List<Rejection> rejections = new ArrayList<>();
    long rejected;
    long lines;
    /** Line number (in this chunk) of a `# EOF`, or 0. */
    long eofLine;
    long samples;
    /** Heap the series this chunk created hold (labels, their text key, the lookup entry): see {@link #heapBytes}. */
    private long seriesBytes;

    private byte[] prev = new byte[256];
    private int prevLen = -1;
    private int prevId;
    private Samples prevSamples;
    private final PlainSample plain = new PlainSample();

    ChunkParser(FileChannel channel, long start, long end, boolean secondsTimestamps) {
        this.channel = channel;
        this.start = start;
        this.end = end;
        this.secondsTimestamps = secondsTimestamps;
    }

    /** Parses the range with {@code buf} (at least a few lines long; grown for a longer line) as the read buffer. */
    void run(byte[] buf) throws IOException {
        int have = 0;
        long pos = start;
        while (true) {
            int want = (int) Math.min(buf.length - have, end - pos);
            int n = 0;
            if (want > 0) {
                n = channel.read(ByteBuffer.wrap(buf, have, want), pos);
                if (n < 0) {
                    n = 0;
                }
                pos += n;
            }
            int limit = have + n;
            boolean last = pos >= end || n == 0 && want > 0;
            int p = 0;
            while (true) {
                int q = sameSeriesPlainLine(buf, p, limit);
                if (q >= 0) {
                    p = q;
                    continue;
                }
                int nl = TextScan.indexOfNewline(buf, p, limit);
                if (nl < 0) {
                    if (last && p < limit) {
                        line(buf, p, limit);
                        p = limit;
                    }
                    break;
                }
                line(buf, p, nl);
                p = nl + 1;
            }
            bytesDone.set(pos - start - (limit - p));
            if (last) {
                bytesDone.set(end - start);
                samplesDone.set(samples);
                return;
            }
            have = limit - p;
            if (have == buf.length) {
                // One line longer than the buffer: grow rather than cut it.
                buf = Arrays.copyOf(buf, buf.length * 2);
            } else {
                System.arraycopy(buf, p, buf, 0, have);
            }
        }
    }

    /**
     * The usual line, taken in one pass: the previous line's series, one space, then a plain
     * {@link PlainSample}. Returns the next line's start, or -1 (nothing counted) for any other
     * line, which {@link #line} then takes.
     */
    private int sameSeriesPlainLine(byte[] b, int s, int limit) {
        int pl = prevLen;
        int p = s + pl;
        if (pl <= 0 || eofLine != 0 || p >= limit || b[p] != ' ' || !Arrays.equals(b, s, p, prev, 0, pl)
                || !plain.read(b, p + 1, limit, secondsTimestamps)) {
            return -1;
        }
        lines++;
        prevSamples.add(plain.timestampMs, plain.value);
        if ((++samples & 0xffff) == 0) {
            samplesDone.set(samples);
        }
        return plain.next;
    }

    private void reject(String reason) {
        rejected++;
        if (rejections.size() < MAX_REJECTIONS_KEPT) {
            rejections.add(new Rejection(lines, reason));
        }
    }

    private void line(byte[] b, int s, int e) {
        lines++;
        if (e > s && b[e - 1] == '\r') {
            e--;
        }
        if (s == e) {
            return;
        }
        if (eofLine != 0) {
            reject("text after \"# EOF\"");
            return;
        }
        if (b[s] == '#') {
            if (e - s == 5 && b[s + 1] == ' ' && b[s + 2] == 'E' && b[s + 3] == 'O' && b[s + 4] == 'F') {
                eofLine = lines;
            }
            return;
        }
        // Same leading bytes as the previous line's series part, followed by a blank: the same
        // series (its end is found on those very bytes), without scanning for the brace.
        int id;
        int seriesEnd;
        if (prevLen > 0 && e - s > prevLen && (b[s + prevLen] == ' ' || b[s + prevLen] == '\t')
                && Arrays.equals(b, s, s + prevLen, prev, 0, prevLen)) {
            id = prevId;
            seriesEnd = s + prevLen;
        } else {
            seriesEnd = SeriesText.end(b, s, e);
            if (seriesEnd < 0) {
                reject("unterminated label set: expected '}'");
                return;
            }
            int len = seriesEnd - s;
            String key = new String(b, s, len, StandardCharsets.ISO_8859_1);
            Integer known = idsByText.get(key);
            if (known == null) {
                Labels labels;
                try {
                    labels = SeriesText.parse(b, s, seriesEnd);
                } catch (IllegalArgumentException ex) {
                    reject(ex.getMessage());
                    return;
                }
                String tooLarge = SeriesLimits.check(labels);
                if (tooLarge != null) {
                    // Not remembered: each line of the series is rejected on its own, with its number.
                    reject(tooLarge);
                    return;
                }
                known = series.size();
                // Sized like the series before it (files list a series' samples together, so that
                // one is complete): a long series is not regrown, and a file of a million
                // one-sample series does not reserve kilobytes for each.
                int hint = prevLen > 0 ? series.get(prevId).samples().size() : 16;
                series.add(new LocalSeries(labels, new Samples(Math.max(2, hint))));
                idsByText.put(key, known);
                // Measured at a million series (class histogram): ~700 bytes a new series of 100
                // bytes of text (its label Strings, the key String, map entries, arrays).
                seriesBytes += 200 + 5L * len;
            }
            id = known;
            if (prev.length < len) {
                prev = new byte[Math.max(len, prev.length * 2)];
            }
            System.arraycopy(b, s, prev, 0, len);
            prevLen = len;
            prevId = id;
            prevSamples = series.get(id).samples();
        }
        int p = SeriesText.skipBlanks(b, seriesEnd, e);
        if (p == seriesEnd && p < e) {
            reject("expected a space after the series");
            return;
        }
        int valueEnd = SeriesText.token(b, p, e);
        if (valueEnd == p) {
            reject("missing value");
            return;
        }
        double v;
        try {
            v = FloatParser.parse(b, p, valueEnd);
        } catch (NumberFormatException ex) {
            reject("invalid value \"" + new String(b, p, valueEnd - p, StandardCharsets.UTF_8) + "\"");
            return;
        }
        p = SeriesText.skipBlanks(b, valueEnd, e);
        int tsEnd = SeriesText.token(b, p, e);
        if (tsEnd == p) {
            reject("missing timestamp: history can only be imported with timestamps");
            return;
        }
        long t;
        try {
            t = secondsTimestamps ? TextScan.secondsToMs(b, p, tsEnd) : TextScan.millis(b, p, tsEnd);
        } catch (NumberFormatException ex) {
            reject("invalid timestamp \"" + new String(b, p, tsEnd - p, StandardCharsets.UTF_8) + "\"" + (secondsTimestamps
                    ? " (OpenMetrics timestamps are seconds)" : " (Prometheus text timestamps are integer milliseconds)"));
            return;
        }
        p = SeriesText.skipBlanks(b, tsEnd, e);
        if (p < e && b[p] != '#') {
            reject("unexpected text after the timestamp");
            return;
        }
        series.get(id).samples().add(t, v);
        if ((++samples & 0xffff) == 0) {
            samplesDone.set(samples);
        }
    }

    /**
     * About how much heap what this chunk parsed holds: its new series (see above) and 24 bytes a
     * sample (a long and a double, arrays grown by half). The import sizes its parse windows by it.
     */
    long heapBytes() {
        return seriesBytes + 24 * samples;
    }
}
