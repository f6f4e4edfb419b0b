package dev.sandglass.ingest.remote;

import dev.sandglass.ingest.wire.WireReader;
import java.util.Arrays;

/**
 * Reads a (decompressed) remote-write WriteRequest in place, series by series, with no message
 * objects: prompb's WriteRequest{1 timeseries}, TimeSeries{1 labels, 2 samples},
 * Label{1 name, 2 value}, Sample{1 value double, 2 timestamp int64}; other fields (exemplars,
 * histograms, metadata) are skipped. A series whose labels are in the cache (keyed by the bytes of
 * its label fields) is handed over by ref without decoding a string. Not thread-safe: one decoder
 * per request; its arrays are reused series after series.
 */
final class WriteRequestDecoder extends WireReader {

    /** Receives each series: known ({@code ref >= 0}, no labels) or with its labels decoded. */
    interface Sink {
        /**
         * @param ref the cached ref, or -1 with {@code pairs[0, 2 * nl)} decoded
         * @param keyFrom where the bytes keying this series start, -1 when it cannot be cached
         *     (labels interleaved with samples); the key is {@code body[keyFrom, keyTo)}
         */
        void series(long ref, String[] pairs, int nl, int keyFrom, int keyTo, long[] ts, double[] vs, int n);
    }

    private String[] pairs = new String[32];
    private long[] ts = new long[16];
    private double[] vs = new double[16];

    WriteRequestDecoder(byte[] body, int from, int to) {
        super(body, from, to);
    }

    void decode(SeriesRefCache.Cursor cache, Sink sink) {
        while (pos < end) {
            int tag = varint32();
            if (tag == tag(1, 2)) {
                int len = length(end);
                series(pos, pos + len, cache, sink); // leaves pos at the series' end
            } else {
                skip(tag, end);
            }
        }
    }

    private void series(int from, int to, SeriesRefCache.Cursor cache, Sink sink) {
        // The leading run of label fields keys the series; samples and the rest come after.
        int labelsEnd = from;
        pos = from;
        while (pos < to && b[pos] == tag(1, 2)) {
            pos++;
            int len = length(to);
            pos += len;
            labelsEnd = pos;
        }
        int n = 0;
        boolean lateLabels = false;
        while (pos < to) {
            int tag = varint32();
            if (tag == tag(2, 2)) {
                int len = length(to);
                if (n == ts.length) {
                    ts = Arrays.copyOf(ts, 2 * n);
                    vs = Arrays.copyOf(vs, 2 * n);
                }
                sample(pos, pos + len, n++); // leaves pos at the sample's end
            } else if (tag == tag(1, 2)) {
                lateLabels = true;
                int len = length(to); // before pos is read: "pos += length()" would add to the old pos
                pos += len;
            } else {
                skip(tag, to);
            }
        }
        long ref = -1;
        if (!lateLabels && cache != null) {
            ref = cache.get(b, from, labelsEnd);
        }
        int nl = ref >= 0 ? 0 : labels(from, to);
        sink.series(ref, pairs, nl, lateLabels ? -1 : from, labelsEnd, ts, vs, n);
        pos = to;
    }

    private void sample(int from, int to, int i) {
        double v = 0;
        long t = 0;
        pos = from;
        while (pos < to) {
            int tag = varint32();
            if (tag == tag(1, 1)) {
                v = Double.longBitsToDouble(fixed64(to));
            } else if (tag == tag(2, 0)) {
                t = varint64();
            } else {
                skip(tag, to);
            }
        }
        if (pos != to) {
            throw new Malformed("sample field past the end of its sample at byte " + pos);
        }
        ts[i] = t;
        vs[i] = v;
    }

    /** Decodes every label field of the series {@code [from, to)} into {@link #pairs}; returns how many. */
    private int labels(int from, int to) {
        int nl = 0;
        pos = from;
        while (pos < to) {
            int tag = varint32();
            if (tag != tag(1, 2)) {
                skip(tag, to);
                continue;
            }
            int llen = length(to);
            int lend = pos + llen;
            String name = "";
            String value = "";
            while (pos < lend) {
                int t2 = varint32();
                if (t2 == tag(1, 2) || t2 == tag(2, 2)) {
                    int len = length(lend);
                    String s = utf8(pos, len);
                    pos += len;
                    if (t2 == tag(1, 2)) {
                        name = s;
                    } else {
                        value = s;
                    }
                } else {
                    skip(t2, lend);
                }
            }
            if (pos != lend) {
                throw new Malformed("label field past the end of its label at byte " + pos);
            }
            if (2 * nl + 2 > pairs.length) {
                pairs = Arrays.copyOf(pairs, pairs.length * 2);
            }
            pairs[2 * nl] = name;
            pairs[2 * nl + 1] = value;
            nl++;
        }
        return nl;
    }
}
