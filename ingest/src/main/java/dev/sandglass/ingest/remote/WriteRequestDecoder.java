package dev.sandglass.ingest.remote;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a (decompressed) remote-write WriteRequest in place, series by series, with no message
 * objects: prompb's WriteRequest{1 timeseries}, TimeSeries{1 labels, 2 samples},
 * Label{1 name, 2 value}, Sample{1 value double, 2 timestamp int64}; other fields (exemplars,
 * histograms, metadata) are skipped. A series whose labels are in the cache (keyed by the bytes of
 * its label fields) is handed over by ref without decoding a string. Not thread-safe: one decoder
 * per request; its arrays are reused series after series.
 */
final class WriteRequestDecoder {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Receives each series: known ({@code ref >= 0}, no labels) or with its labels decoded. */
    interface Sink {
        /**
         * @param ref the cached ref, or -1 with {@code pairs[0, 2 * nl)} decoded
         * @param keyFrom where the bytes keying this series start, -1 when it cannot be cached
         *     (labels interleaved with samples); the key is {@code body[keyFrom, keyTo)}
         */
        void series(long ref, String[] pairs, int nl, int keyFrom, int keyTo, long[] ts, double[] vs, int n);
    }

    private final byte[] b;
    private final int end;
    private int pos;
    private String[] pairs = new String[32];
    private long[] ts = new long[16];
    private double[] vs = new double[16];

    WriteRequestDecoder(byte[] body, int from, int to) {
        this.b = body;
        this.pos = from;
        this.end = to;
    }

    void decode(SeriesRefCache cache, Sink sink) {
        while (pos < end) {
            int tag = varint32();
            if (tag == tag(1, 2)) {
                int len = length();
                series(pos, pos + len, cache, sink); // leaves pos at the series' end
            } else {
                skip(tag);
            }
        }
    }

    private void series(int from, int to, SeriesRefCache cache, Sink sink) {
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
                skip(tag);
                if (pos > to) {
                    throw new RemoteProto.DecodeException("field past the end of its series at byte " + pos);
                }
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
                if (pos + 8 > to) {
                    throw new RemoteProto.DecodeException("truncated sample value at byte " + pos);
                }
                v = Double.longBitsToDouble((long) LONG_LE.get(b, pos));
                pos += 8;
            } else if (tag == tag(2, 0)) {
                t = varint64();
            } else {
                skip(tag);
            }
        }
        if (pos != to) {
            throw new RemoteProto.DecodeException("sample field past the end of its sample at byte " + pos);
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
                skip(tag);
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
                    skip(t2);
                }
            }
            if (pos != lend) {
                throw new RemoteProto.DecodeException("label field past the end of its label at byte " + pos);
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

    /** A proto3 string: valid UTF-8 or an error, as protobuf-java's readStringRequireUtf8. */
    private String utf8(int off, int len) {
        boolean ascii = true;
        for (int i = off; i < off + len; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (CharacterCodingException e) {
            throw new RemoteProto.DecodeException("Protocol message had invalid UTF-8 (label at byte " + off + ")");
        }
    }

    private static int tag(int field, int wireType) {
        return (field << 3) | wireType;
    }

    private int length() {
        return length(end);
    }

    /** A length prefix, checked to end within {@code limit}. */
    private int length(int limit) {
        int len = varint32();
        if (len < 0 || len > limit - pos) {
            throw new RemoteProto.DecodeException("field of " + (len & 0xffffffffL) + " bytes past the end of its message at byte " + pos);
        }
        return len;
    }

    private void skip(int tag) {
        switch (tag & 7) {
            case 0 -> varint64();
            case 1 -> pos += 8;
            case 2 -> {
                int len = length();
                pos += len;
            }
            case 5 -> pos += 4;
            default -> throw new RemoteProto.DecodeException("unexpected wire type " + (tag & 7) + " at byte " + pos);
        }
        if (pos > end) {
            throw new RemoteProto.DecodeException("truncated field at byte " + end);
        }
        if (tag >>> 3 == 0) {
            throw new RemoteProto.DecodeException("field number 0 at byte " + pos);
        }
    }

    private int varint32() {
        return (int) varint64();
    }

    private long varint64() {
        long x = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new RemoteProto.DecodeException("truncated varint at byte " + pos);
            }
            byte c = b[pos++];
            x |= (long) (c & 0x7f) << shift;
            if (c >= 0) {
                return x;
            }
        }
        throw new RemoteProto.DecodeException("malformed varint at byte " + pos);
    }
}
