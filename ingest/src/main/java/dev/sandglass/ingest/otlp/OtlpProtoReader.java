package dev.sandglass.ingest.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.sandglass.ingest.remote.SeriesRefCache;
import dev.sandglass.ingest.wire.WireReader;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Values;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads an ExportMetricsServiceRequest (protobuf) in place and hands its points to an
 * {@link OtlpTranslator}, without building the generated message tree for gauges and sums, the
 * bulk of what exporters send: each point's series is found in a {@link SeriesRefCache} by its
 * metric name, job, instance and the bytes of its attributes as sent, so a known series costs one
 * hash and no string. Everything else (histograms, summaries, exponential histograms, a metric
 * with no data or two, a resource sent twice) is parsed with the generated classes and translated
 * as {@link OtlpTranslator#translate} does, so both readers store the same series and reject the
 * same points with the same reasons.
 */
public final class OtlpProtoReader extends WireReader {
    private static final int GAUGE = 5;
    private static final int SUM = 7;

    private final OtlpTranslator translator;
    private final SeriesRefCache.Cursor cache;
    /** The cache key being built: metric name, job, instance (length-prefixed), then attribute bytes. */
    private byte[] key = new byte[256];
    private int prefixLen;
    /** A new series' attributes, keys and values in turn ({@code attrCount} strings). */
    private String[] attrs = new String[8];
    private int attrCount;

    private OtlpProtoReader(byte[] body, int from, int to, Appender appender, SeriesRefCache cache) {
        super(body, from, to);
        this.translator = new OtlpTranslator(appender, null);
        this.cache = cache == null ? null : cache.cursor();
    }

    /**
     * Appends every point it can from the request in {@code body[from, to)} (the caller commits).
     * @throws OtlpCodec.DecodeException for bytes that are not a request (the caller rolls back)
     */
    public static OtlpTranslator.Result translate(byte[] body, int from, int to, Appender appender, SeriesRefCache cache) {
        try {
            OtlpProtoReader r = new OtlpProtoReader(body, from, to, appender, cache);
            r.request();
            return r.translator.result();
        } catch (Malformed e) {
            throw new OtlpCodec.DecodeException("cannot decode OTLP protobuf body of " + (to - from) + " bytes: " + e.getMessage(), e);
        }
    }

    private void request() {
        while (pos < end) {
            int tag = varint32();
            if (tag == tag(1, 2)) {
                int len = length(end);
                resourceMetrics(pos, pos + len);
            } else {
                skip(tag, end);
            }
        }
    }

    private void resourceMetrics(int from, int to) {
        int resFrom = -1;
        int resTo = -1;
        int resources = 0;
        pos = from;
        while (pos < to) {
            int tag = varint32();
            if (tag == tag(1, 2)) {
                int len = length(to);
                resFrom = pos;
                resTo = pos + len;
                resources++;
                pos = resTo;
            } else {
                skip(tag, to);
            }
        }
        if (resources > 1) {
            translator.resource(parse(from, to, ResourceMetrics.parser()));
            return;
        }
        Resource res = resources == 0 ? Resource.getDefaultInstance() : parse(resFrom, resTo, Resource.parser());
        Map<String, String> attrs = OtlpLabels.attributes(res.getAttributesList());
        TreeMap<String, String> base = OtlpLabels.base(attrs);
        long latest = Long.MIN_VALUE;
        pos = from;
        while (pos < to) {
            int tag = varint32();
            if (tag == tag(2, 2)) {
                int scopeLen = length(to);
                int scopeEnd = pos + scopeLen;
                while (pos < scopeEnd) {
                    int t2 = varint32();
                    if (t2 == tag(2, 2)) {
                        int len = length(scopeEnd);
                        int metricEnd = pos + len;
                        latest = Math.max(latest, metric(pos, metricEnd, base));
                        pos = metricEnd;
                    } else {
                        skip(t2, scopeEnd);
                    }
                }
            } else {
                skip(tag, to);
            }
        }
        translator.targetInfo(attrs, base, latest);
        pos = to;
    }

    /** One metric; returns the latest timestamp appended (MIN_VALUE when none). */
    private long metric(int from, int to, Map<String, String> base) {
        String name = "";
        String unit = "";
        int dataFields = 0;
        int kind = 0;
        int dataFrom = 0;
        int dataTo = 0;
        pos = from;
        while (pos < to) {
            int tag = varint32();
            int field = tag >>> 3;
            if ((tag & 7) == 2 && field <= 3) {
                int len = length(to);
                String s = utf8(pos, len); // description too: the generated parser checks it
                if (field == 1) {
                    name = s;
                } else if (field == 3) {
                    unit = s;
                }
                pos += len;
            } else if ((tag & 7) == 2 && (field == GAUGE || field == SUM || field == 9 || field == 10 || field == 11)) {
                int len = length(to);
                dataFields++;
                kind = field;
                dataFrom = pos;
                dataTo = pos + len;
                pos = dataTo;
            } else {
                skip(tag, to);
            }
        }
        if (dataFields != 1 || (kind != GAUGE && kind != SUM)) {
            return translator.metric(parse(from, to, Metric.parser()), base);
        }
        return numbers(name, unit, kind, dataFrom, dataTo, base);
    }

    private long numbers(String name, String unit, int kind, int from, int to, Map<String, String> base) {
        int temporality = 0;
        boolean monotonic = false;
        int points = 0;
        pos = from;
        while (pos < to) {
            int tag = varint32();
            if (tag == tag(1, 2)) {
                int len = length(to);
                pos += len;
                points++;
            } else if (kind == SUM && tag == tag(2, 0)) {
                temporality = varint32();
            } else if (kind == SUM && tag == tag(3, 0)) {
                monotonic = varint64() != 0;
            } else {
                skip(tag, to);
            }
        }
        if (kind == SUM && !translator.cumulative(name, AggregationTemporality.forNumber(temporality) == null
                ? AggregationTemporality.UNRECOGNIZED : AggregationTemporality.forNumber(temporality), points)) {
            return Long.MIN_VALUE;
        }
        OtlpNames.Kind k = kind == GAUGE ? OtlpNames.Kind.GAUGE
                : monotonic ? OtlpNames.Kind.MONOTONIC_COUNTER : OtlpNames.Kind.NON_MONOTONIC_COUNTER;
        long latest = Long.MIN_VALUE;
        try {
            String prom = OtlpNames.metricName(name, unit, k);
            keyPrefix(prom, base.get("job"), base.get("instance"));
            pos = from;
            while (pos < to) {
                int tag = varint32();
                if (tag == tag(1, 2)) {
                    int len = length(to);
                    int pointEnd = pos + len;
                    latest = Math.max(latest, point(pos, pointEnd, prom, base));
                    pos = pointEnd;
                } else {
                    skip(tag, to);
                }
            }
        } catch (IllegalArgumentException e) {
            translator.reject(points, e.getMessage());
            return Long.MIN_VALUE;
        }
        return latest;
    }

    /** One NumberDataPoint; returns its timestamp. */
    private long point(int from, int to, String prom, Map<String, String> base) {
        long timeNano = 0;
        double asDouble = 0;
        long asInt = 0;
        boolean isInt = false;
        int flags = 0;
        int attrFrom = -1;
        int attrTo = -1;
        boolean contiguous = true;
        pos = from;
        while (pos < to) {
            int tag = varint32();
            if (tag == tag(7, 2)) {
                int start = pos - 1;
                int len = length(to);
                pos += len;
                if (attrFrom < 0) {
                    attrFrom = start;
                } else if (start != attrTo) {
                    contiguous = false;
                }
                attrTo = pos;
            } else if (tag == tag(3, 1)) {
                timeNano = fixed64(to);
            } else if (tag == tag(4, 1)) {
                asDouble = Double.longBitsToDouble(fixed64(to));
                isInt = false;
            } else if (tag == tag(6, 1)) {
                asInt = fixed64(to);
                isInt = true;
            } else if (tag == tag(8, 0)) {
                flags = varint32();
            } else {
                skip(tag, to);
            }
        }
        long t = OtlpTranslator.millis(timeNano);
        double v = (flags & 1) != 0 ? Values.STALE_NAN : isInt ? (double) asInt : asDouble;
        int keyLen = prefixLen;
        if (contiguous && attrFrom >= 0) {
            keyLen += attrTo - attrFrom;
            if (key.length < keyLen) {
                key = Arrays.copyOf(key, Math.max(keyLen, 2 * key.length));
            }
            System.arraycopy(b, attrFrom, key, prefixLen, attrTo - attrFrom);
        }
        long ref = contiguous && cache != null ? cache.get(key, 0, keyLen) : -1;
        if (ref < 0) {
            String[] kv = attributes(from, to);
            ref = translator.numberSeries(prom, kv, attrCount, base);
            if (contiguous && cache != null) {
                cache.put(key, 0, keyLen, ref);
            }
        }
        translator.append(ref, t, v);
        return t;
    }

    /**
     * The attributes of the point {@code [from, to)} as keys and values in turn, read in place
     * ({@link #attrCount} strings), for a series not in the cache. An attribute that is not one key
     * and one string value (another value type, a field sent twice) is parsed with the generated
     * classes and written as {@link OtlpLabels#text} writes it, so both readers agree.
     */
    private String[] attributes(int from, int to) {
        attrCount = 0;
        pos = from;
        while (pos < to) {
            int tag = varint32();
            if (tag == tag(7, 2)) {
                int len = length(to);
                int kvFrom = pos;
                int kvEnd = pos + len;
                if (attrs.length < attrCount + 2) {
                    attrs = Arrays.copyOf(attrs, 2 * attrs.length);
                }
                if (!stringAttribute(kvFrom, kvEnd)) {
                    KeyValue kv = parse(kvFrom, kvEnd, KeyValue.parser());
                    attrs[attrCount] = kv.getKey();
                    attrs[attrCount + 1] = OtlpLabels.text(kv.getValue());
                }
                attrCount += 2;
                pos = kvEnd;
            } else {
                skip(tag, to);
            }
        }
        return attrs;
    }

    /** Reads a KeyValue {@code [from, to)} of one key and one string value into {@link #attrs}; false for any other shape. */
    private boolean stringAttribute(int from, int to) {
        String k = null;
        String v = null;
        pos = from;
        while (pos < to) {
            int tag = varint32();
            if (tag == tag(1, 2) && k == null) {
                int len = length(to);
                k = utf8(pos, len);
                pos += len;
            } else if (tag == tag(2, 2) && v == null) {
                int len = length(to);
                int valueEnd = pos + len;
                if (pos >= valueEnd || varint32() != tag(1, 2)) {
                    return false;
                }
                int sl = length(valueEnd);
                if (pos + sl != valueEnd) {
                    return false;
                }
                v = utf8(pos, sl);
                pos = valueEnd;
            } else {
                return false;
            }
        }
        if (k == null || v == null) {
            return false;
        }
        attrs[attrCount] = k;
        attrs[attrCount + 1] = v;
        return true;
    }

    /** Starts every key of a metric's points with its name, job and instance, each length-prefixed (-1: absent). */
    private void keyPrefix(String prom, String job, String instance) {
        prefixLen = 0;
        for (String s : new String[] {prom, job, instance}) {
            byte[] bytes = s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
            if (key.length < prefixLen + 4 + bytes.length) {
                key = Arrays.copyOf(key, 2 * (prefixLen + 4 + bytes.length));
            }
            int n = s == null ? -1 : bytes.length;
            key[prefixLen++] = (byte) (n >>> 24);
            key[prefixLen++] = (byte) (n >>> 16);
            key[prefixLen++] = (byte) (n >>> 8);
            key[prefixLen++] = (byte) n;
            System.arraycopy(bytes, 0, key, prefixLen, bytes.length);
            prefixLen += bytes.length;
        }
    }

    private <T> T parse(int from, int to, com.google.protobuf.Parser<T> parser) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(b, from, to - from);
            return parser.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new Malformed(e.getMessage());
        }
    }
}
