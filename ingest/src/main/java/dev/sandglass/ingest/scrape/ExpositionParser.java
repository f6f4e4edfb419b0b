package dev.sandglass.ingest.scrape;

import dev.sandglass.ingest.bulk.FloatParser;
import dev.sandglass.ingest.bulk.SeriesText;
import java.nio.charset.StandardCharsets;

/**
 * Splits a scraped body into samples, in the Prometheus text format (0.0.4: timestamps are integer
 * milliseconds) or OpenMetrics (timestamps are seconds, exemplars after {@code #}, the body must end
 * with {@code # EOF}). Comments, HELP, TYPE and UNIT lines carry no samples. The series part of
 * each line is handed over as bytes; the scrape loop caches what it maps to. A malformed line
 * fails the whole scrape, as in Prometheus.
 */
final class ExpositionParser {
    /** Receives each sample; {@code hasTs} false means "no timestamp: the scrape's". */
    interface Sink {
        void sample(byte[] b, int seriesStart, int seriesEnd, double value, boolean hasTs, long tsMs);
    }

    private ExpositionParser() {
    }

    /** True when the Content-Type names OpenMetrics (what Prometheus 2.42 checks). */
    static boolean isOpenMetrics(String contentType) {
        return contentType != null && contentType.trim().toLowerCase(java.util.Locale.ROOT).startsWith("application/openmetrics-text");
    }

    /** @return samples parsed; @throws ScrapeException (reason "parse") naming the line */
    static int parse(byte[] b, int len, boolean openMetrics, Sink sink) {
        int samples = 0;
        int line = 0;
        boolean eof = false;
        int p = 0;
        while (p < len) {
            int nl = p;
            while (nl < len && b[nl] != '\n') {
                nl++;
            }
            int s = p;
            int e = nl;
            p = nl + 1;
            line++;
            if (e > s && b[e - 1] == '\r') {
                e--;
            }
            if (eof) {
                throw error(line, "unexpected data after \"# EOF\"");
            }
            if (s == e) {
                if (openMetrics) {
                    throw error(line, "empty line (not allowed in OpenMetrics)");
                }
                continue;
            }
            if (b[s] == '#') {
                if (openMetrics && e - s == 5 && new String(b, s, 5, StandardCharsets.ISO_8859_1).equals("# EOF")) {
                    eof = true;
                }
                continue;
            }
            sample(b, s, e, openMetrics, line, sink);
            samples++;
        }
        if (openMetrics && !eof) {
            throw new ScrapeException("parse", "OpenMetrics body does not end with \"# EOF\" (truncated response?)");
        }
        return samples;
    }

    private static void sample(byte[] b, int s, int e, boolean openMetrics, int line, Sink sink) {
        while (s < e && (b[s] == ' ' || b[s] == '\t')) {
            s++;
        }
        int seriesEnd = SeriesText.end(b, s, e);
        if (seriesEnd < 0) {
            throw error(line, "unterminated label set: expected '}'");
        }
        int p = SeriesText.skipBlanks(b, seriesEnd, e);
        if (p == seriesEnd || p == e) {
            throw error(line, "expected a value after the series");
        }
        int valueEnd = SeriesText.token(b, p, e);
        double v;
        try {
            v = FloatParser.parse(b, p, valueEnd);
        } catch (NumberFormatException ex) {
            throw error(line, "invalid value \"" + new String(b, p, valueEnd - p, StandardCharsets.UTF_8) + "\"");
        }
        p = SeriesText.skipBlanks(b, valueEnd, e);
        boolean hasTs = false;
        long ts = 0;
        if (p < e && b[p] != '#') {
            int tsEnd = SeriesText.token(b, p, e);
            String t = new String(b, p, tsEnd - p, StandardCharsets.ISO_8859_1);
            try {
                if (openMetrics) {
                    double secs = Double.parseDouble(t);
                    if (Double.isNaN(secs) || Double.isInfinite(secs)) {
                        throw new NumberFormatException();
                    }
                    ts = (long) (secs * 1000); // as Prometheus's OpenMetrics parser: int64(ts*1000)
                } else {
                    ts = Long.parseLong(t);
                }
            } catch (NumberFormatException ex) {
                throw error(line, "invalid timestamp \"" + t + "\"" + (openMetrics ? " (OpenMetrics timestamps are seconds)"
                        : " (Prometheus text timestamps are integer milliseconds)"));
            }
            hasTs = true;
            p = SeriesText.skipBlanks(b, tsEnd, e);
        }
        if (p < e && !(openMetrics && b[p] == '#')) {
            throw error(line, "unexpected text after the " + (hasTs ? "timestamp" : "value"));
        }
        sink.sample(b, s, seriesEnd, v, hasTs, ts);
    }

    private static ScrapeException error(int line, String what) {
        return new ScrapeException("parse", "line " + line + ": " + what);
    }
}
