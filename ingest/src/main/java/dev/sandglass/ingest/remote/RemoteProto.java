package dev.sandglass.ingest.remote;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The few messages of Prometheus's remote write 1.0 and remote read (prompb) that we speak, read
 * and written field by field with protobuf-java's coded streams. Hand-written rather than
 * generated: five small messages, and no protoc executable to fetch per platform at build time.
 * Field numbers are prompb's: WriteRequest{1 timeseries}, TimeSeries{1 labels, 2 samples},
 * Label{1 name, 2 value}, Sample{1 value double, 2 timestamp int64}, ReadRequest{1 queries,
 * 2 accepted_response_types}, Query{1 start_ms, 2 end_ms, 3 matchers}, LabelMatcher{1 type,
 * 2 name, 3 value}, ReadResponse{1 results}, QueryResult{1 timeseries}. Unknown fields (exemplars,
 * histograms, metadata, hints) are skipped.
 */
public final class RemoteProto {
    private RemoteProto() {
    }

    private static int tag(int field, int wireType) {
        return (field << 3) | wireType;
    }

    /** One series with its samples: {@code ts[0..n)}, {@code vs[0..n)}. */
    public record SeriesSamples(Labels labels, long[] ts, double[] vs, int n) {
    }

    /** Receives decoded series one at a time; the arrays are reused after the call returns. */
    @FunctionalInterface
    public interface SeriesSink {
        void series(String[] labelPairs, int labelCount, long[] ts, double[] vs, int n);
    }

    /** A body that is not the message it should be. */
    public static final class DecodeException extends RuntimeException {
        public DecodeException(String message) {
            super(message);
        }
    }

    /** Decodes a (decompressed) WriteRequest, series by series. */
    public static void decodeWrite(byte[] body, SeriesSink sink) {
        decodeWrite(body, 0, body.length, null, (ref, pairs, nl, keyFrom, keyTo, ts, vs, n) -> sink.series(pairs, nl, ts, vs, n));
    }

    /**
     * Decodes the WriteRequest in {@code body[from, to)}; series found through {@code cache} (may be
     * null) reach the sink by ref, without their labels decoded. What the sink throws is passed
     * on as it is (a store failure must not read as a bad body).
     * @throws DecodeException for bytes that are not a WriteRequest
     */
    static void decodeWrite(byte[] body, int from, int to, SeriesRefCache.Cursor cache, WriteRequestDecoder.Sink sink) {
        WriteRequestDecoder.Sink guarded = (ref, pairs, nl, keyFrom, keyTo, ts, vs, n) -> {
            try {
                sink.series(ref, pairs, nl, keyFrom, keyTo, ts, vs, n);
            } catch (RuntimeException e) {
                throw new SinkFailure(e);
            }
        };
        try {
            new WriteRequestDecoder(body, from, to).decode(cache, guarded);
        } catch (SinkFailure e) {
            throw (RuntimeException) e.getCause();
        } catch (RuntimeException e) {
            throw new DecodeException("cannot decode remote write protobuf of " + (to - from) + " bytes: " + e.getMessage());
        }
    }

    private static final class SinkFailure extends RuntimeException {
        SinkFailure(RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** Encodes series as a WriteRequest (or, identically on the wire, one QueryResult's timeseries). */
    public static byte[] encodeWrite(List<SeriesSamples> series) {
        int size = 0;
        for (SeriesSamples s : series) {
            int len = seriesSize(s);
            size += CodedOutputStream.computeTagSize(1) + CodedOutputStream.computeUInt32SizeNoTag(len) + len;
        }
        byte[] out = new byte[size];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            for (SeriesSamples s : series) {
                writeSeries(o, 1, s);
            }
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("BUG: encoding remote write: " + e.getMessage(), e);
        }
        return out;
    }

    private static int seriesSize(SeriesSamples s) {
        int size = 0;
        Labels l = s.labels();
        for (int i = 0; i < l.size(); i++) {
            int len = labelSize(l.name(i), l.value(i));
            size += 1 + CodedOutputStream.computeUInt32SizeNoTag(len) + len;
        }
        for (int i = 0; i < s.n(); i++) {
            int len = sampleSize(s.ts()[i]);
            size += 1 + CodedOutputStream.computeUInt32SizeNoTag(len) + len;
        }
        return size;
    }

    private static int labelSize(String name, String value) {
        return CodedOutputStream.computeStringSize(1, name) + CodedOutputStream.computeStringSize(2, value);
    }

    private static int sampleSize(long t) {
        return CodedOutputStream.computeDoubleSize(1, 0) + CodedOutputStream.computeInt64Size(2, t);
    }

    private static void writeSeries(CodedOutputStream o, int field, SeriesSamples s) throws IOException {
        o.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        o.writeUInt32NoTag(seriesSize(s));
        Labels l = s.labels();
        for (int i = 0; i < l.size(); i++) {
            o.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            o.writeUInt32NoTag(labelSize(l.name(i), l.value(i)));
            o.writeString(1, l.name(i));
            o.writeString(2, l.value(i));
        }
        for (int i = 0; i < s.n(); i++) {
            o.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            o.writeUInt32NoTag(sampleSize(s.ts()[i]));
            o.writeDouble(1, s.vs()[i]);
            o.writeInt64(2, s.ts()[i]);
        }
    }

    /** One query of a ReadRequest: [startMs, endMs] and the matchers a series must match. */
    public record ReadQuery(long startMs, long endMs, List<Matcher> matchers) {
    }

    /** The queries of a (decompressed) ReadRequest; response types are ignored (we answer sampled). */
    public static List<ReadQuery> decodeRead(byte[] body) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(body);
            List<ReadQuery> out = new ArrayList<>();
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (tag != tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                    in.skipField(tag);
                    continue;
                }
                int limit = in.pushLimit(in.readRawVarint32());
                long start = 0;
                long end = 0;
                List<Matcher> ms = new ArrayList<>();
                int t2;
                while ((t2 = in.readTag()) != 0) {
                    if (t2 == tag(1, WireFormat.WIRETYPE_VARINT)) {
                        start = in.readInt64();
                    } else if (t2 == tag(2, WireFormat.WIRETYPE_VARINT)) {
                        end = in.readInt64();
                    } else if (t2 == tag(3, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                        ms.add(matcher(in));
                    } else {
                        in.skipField(t2);
                    }
                }
                in.popLimit(limit);
                out.add(new ReadQuery(start, end, ms));
            }
            return out;
        } catch (IOException | IllegalArgumentException e) {
            throw new DecodeException("cannot decode remote read protobuf of " + body.length + " bytes: " + e.getMessage());
        }
    }

    private static Matcher matcher(CodedInputStream in) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        int type = 0;
        String name = "";
        String value = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> type = in.readEnum();
                case 2 -> name = in.readStringRequireUtf8();
                case 3 -> value = in.readStringRequireUtf8();
                default -> in.skipField(tag);
            }
        }
        in.popLimit(limit);
        Matcher.Type[] types = Matcher.Type.values(); // EQ, NEQ, RE, NRE: prompb's order
        if (type < 0 || type >= types.length) {
            throw new DecodeException("unknown label matcher type " + type + " for label " + name);
        }
        return new Matcher(types[type], name, value);
    }

    /** A ReadResponse: one QueryResult per query, each holding its series. */
    public static byte[] encodeReadResponse(List<List<SeriesSamples>> results) {
        List<byte[]> bodies = new ArrayList<>();
        int size = 0;
        for (List<SeriesSamples> r : results) {
            byte[] b = encodeWrite(r);
            bodies.add(b);
            size += CodedOutputStream.computeByteArraySize(1, b);
        }
        byte[] out = new byte[size];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            for (byte[] b : bodies) {
                o.writeByteArray(1, b);
            }
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("BUG: encoding remote read response: " + e.getMessage(), e);
        }
        return out;
    }

    /** Encodes a ReadRequest (tests and tools): one query per element. */
    public static byte[] encodeRead(List<ReadQuery> queries) {
        try {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            CodedOutputStream o = CodedOutputStream.newInstance(bytes);
            for (ReadQuery q : queries) {
                java.io.ByteArrayOutputStream qb = new java.io.ByteArrayOutputStream();
                CodedOutputStream qo = CodedOutputStream.newInstance(qb);
                qo.writeInt64(1, q.startMs());
                qo.writeInt64(2, q.endMs());
                for (Matcher m : q.matchers()) {
                    java.io.ByteArrayOutputStream mb = new java.io.ByteArrayOutputStream();
                    CodedOutputStream mo = CodedOutputStream.newInstance(mb);
                    mo.writeEnum(1, m.type().ordinal());
                    mo.writeString(2, m.name());
                    mo.writeString(3, m.value());
                    mo.flush();
                    qo.writeByteArray(3, mb.toByteArray());
                }
                qo.flush();
                o.writeByteArray(1, qb.toByteArray());
            }
            o.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("BUG: encoding remote read request: " + e.getMessage(), e);
        }
    }
}
