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

    /**
     * Decides per series whether its labels need decoding: given the raw bytes of the series'
     * leading label fields ({@code body[from, to)}), returns true to have them decoded.
     */
    @FunctionalInterface
    public interface LabelFilter {
        boolean wantLabels(byte[] body, int from, int to);
    }

    /** A body that is not the message it should be. */
    public static final class DecodeException extends RuntimeException {
        public DecodeException(String message) {
            super(message);
        }
    }

    /** Decodes a (decompressed) WriteRequest, series by series. */
    public static void decodeWrite(byte[] body, SeriesSink sink) {
        decodeWrite(body, null, sink);
    }

    /**
     * As {@link #decodeWrite(byte[], SeriesSink)}; when {@code filter} says a series' labels are
     * not needed (the caller knows the series by its bytes), the sink gets labelCount -1 and no
     * strings are decoded. The span is the series' label fields up to its first other field.
     */
    public static void decodeWrite(byte[] body, LabelFilter filter, SeriesSink sink) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(body);
            in.setRecursionLimit(8);
            String[] labels = new String[32];
            long[] ts = new long[64];
            double[] vs = new double[64];
            int tag;
            while ((tag = in.readTag()) != 0) {
                if (WireFormat.getTagFieldNumber(tag) != 1 || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    in.skipField(tag);
                    continue;
                }
                int len = in.readRawVarint32();
                int seriesStart = in.getTotalBytesRead();
                int limit = in.pushLimit(len);
                int nl = 0;
                int n = 0;
                boolean skipLabels = false;
                if (filter != null) {
                    int labelsEnd = labelsEnd(body, seriesStart, seriesStart + len);
                    skipLabels = !filter.wantLabels(body, seriesStart, labelsEnd);
                    if (skipLabels) {
                        in.skipRawBytes(labelsEnd - seriesStart);
                        nl = -1;
                    }
                }
                int t2;
                while ((t2 = in.readTag()) != 0) {
                    int field = WireFormat.getTagFieldNumber(t2);
                    if (field == 1 && WireFormat.getTagWireType(t2) == WireFormat.WIRETYPE_LENGTH_DELIMITED && skipLabels) {
                        throw new DecodeException("labels after samples in a series: cannot use the series cache");
                    } else if (field == 1 && WireFormat.getTagWireType(t2) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        if (2 * nl + 2 > labels.length) {
                            labels = Arrays.copyOf(labels, labels.length * 2);
                        }
                        String[] pair = label(in);
                        labels[2 * nl] = pair[0];
                        labels[2 * nl + 1] = pair[1];
                        nl++;
                    } else if (field == 2 && WireFormat.getTagWireType(t2) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        if (n == ts.length) {
                            ts = Arrays.copyOf(ts, n * 2);
                            vs = Arrays.copyOf(vs, n * 2);
                        }
                        int l2 = in.pushLimit(in.readRawVarint32());
                        double v = 0;
                        long t = 0;
                        int t3;
                        while ((t3 = in.readTag()) != 0) {
                            if (t3 == tag(1, WireFormat.WIRETYPE_FIXED64)) {
                                v = in.readDouble();
                            } else if (t3 == tag(2, WireFormat.WIRETYPE_VARINT)) {
                                t = in.readInt64();
                            } else {
                                in.skipField(t3);
                            }
                        }
                        in.popLimit(l2);
                        ts[n] = t;
                        vs[n] = v;
                        n++;
                    } else {
                        in.skipField(t2);
                    }
                }
                in.popLimit(limit);
                sink.series(labels, nl, ts, vs, n);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DecodeException de) {
                throw de;
            }
            throw new DecodeException("cannot decode remote write protobuf of " + body.length + " bytes: " + e.getMessage());
        }
    }

    /** End of the run of label fields (tag 0x0a) starting at {@code pos}, within {@code end}. */
    private static int labelsEnd(byte[] b, int pos, int end) {
        while (pos < end && b[pos] == 0x0a) {
            int p = pos + 1;
            int len = 0;
            int shift = 0;
            while (true) {
                if (p >= end || shift > 28) {
                    throw new DecodeException("truncated label length at byte " + p);
                }
                byte x = b[p++];
                len |= (x & 0x7f) << shift;
                if (x >= 0) {
                    break;
                }
                shift += 7;
            }
            if (len < 0 || p + len > end) {
                throw new DecodeException("label of " + len + " bytes past the end of its series at byte " + p);
            }
            pos = p + len;
        }
        return pos;
    }

    private static String[] label(CodedInputStream in) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        String name = "";
        String value = "";
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                name = in.readStringRequireUtf8();
            } else if (tag == tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                value = in.readStringRequireUtf8();
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(limit);
        return new String[] {name, value};
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
