package dev.sandglass.ingest.otlp;

import static dev.sandglass.ingest.otlp.OtlpTranslatorTest.T;
import static dev.sandglass.ingest.otlp.OtlpTranslatorTest.kv;
import static dev.sandglass.ingest.otlp.OtlpTranslatorTest.point;
import static dev.sandglass.ingest.otlp.OtlpTranslatorTest.request;
import static dev.sandglass.ingest.otlp.OtlpTranslatorTest.stored;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.ingest.remote.SeriesRefCache;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.mem.MemStorage;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-place protobuf reader stores exactly what the generated-object translator stores, and rejects the same. */
class OtlpProtoReaderTest {
    static OtlpTranslator.Result fast(MemStorage store, byte[] body, SeriesRefCache cache) {
        Appender app = store.appender();
        OtlpTranslator.Result r = OtlpProtoReader.translate(body, 0, body.length, app, cache);
        app.commit();
        return r;
    }

    static void assertSameAsTheTranslator(List<ExportMetricsServiceRequest> requests) {
        MemStorage plain = new MemStorage();
        MemStorage quick = new MemStorage();
        SeriesRefCache cache = new SeriesRefCache(1 << 20);
        for (ExportMetricsServiceRequest req : requests) {
            assertEquals(OtlpTranslatorTest.run(plain, req), fast(quick, req.toByteArray(), cache), req.toString());
        }
        assertEquals(stored(plain), stored(quick));
    }

    static NumberDataPoint intPoint(long v, int flags, KeyValue... attrs) {
        return NumberDataPoint.newBuilder().setTimeUnixNano(T * 1_000_000 + 7).setAsInt(v).setFlags(flags).addAllAttributes(List.of(attrs)).build();
    }

    @Test
    void everyKindOfMetricLandsAsTheTranslatorStoresIt() {
        KeyValue num = KeyValue.newBuilder().setKey("cpu.n").setValue(AnyValue.newBuilder().setIntValue(3)).build();
        List<ExportMetricsServiceRequest> reqs = new java.util.ArrayList<>();
        for (int round = 0; round < 3; round++) {
            Metric gauge = Metric.newBuilder().setName("microsandbox.memory.usage").setUnit("By").setGauge(Gauge.newBuilder()
                    .addDataPoints(point(round, kv("sandbox.name", "a"), kv("sandbox-name", "b")))
                    .addDataPoints(intPoint(round * 10, 0, kv("sandbox.name", "c"), num))
                    .addDataPoints(intPoint(1, 1, kv("sandbox.name", "gone")))
                    .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T * 1_000_000).build())).build();
            Metric counter = Metric.newBuilder().setName("requests").setUnit("1").setSum(Sum.newBuilder().setIsMonotonic(true)
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).addDataPoints(point(7 + round))).build();
            Metric updown = Metric.newBuilder().setName("queue").setUnit("{items}").setSum(Sum.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).addDataPoints(point(-2))).build();
            Metric ratio = Metric.newBuilder().setName("util").setUnit("1").setGauge(Gauge.newBuilder().addDataPoints(point(0.5))).build();
            Metric delta = Metric.newBuilder().setName("hits").setSum(Sum.newBuilder().setIsMonotonic(true)
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA).addDataPoints(point(1)).addDataPoints(point(2))).build();
            Metric unspecified = Metric.newBuilder().setName("odd").setSum(Sum.newBuilder().addDataPoints(point(1))).build();
            Metric hist = Metric.newBuilder().setName("latency").setUnit("s").setHistogram(Histogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                    .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T * 1_000_000).setCount(6).setSum(2.5)
                            .addAllExplicitBounds(List.of(0.1, 1.0)).addAllBucketCounts(List.of(1L, 2L, 3L)))).build();
            Metric summary = Metric.newBuilder().setName("rpc").setUnit("ms").setSummary(Summary.newBuilder().addDataPoints(
                    SummaryDataPoint.newBuilder().setTimeUnixNano(T * 1_000_000).setCount(2).setSum(3)
                            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(1)))).build();
            Metric empty = Metric.newBuilder().setName("nothing").build();
            reqs.add(request(gauge, counter, updown, ratio, delta, unspecified, hist, summary, empty));
        }
        // Two resources, one without service attributes, and scope metrics before the resource on the wire.
        ResourceMetrics bare = ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(
                Metric.newBuilder().setName("up").setGauge(Gauge.newBuilder().addDataPoints(point(1, kv("k", "v")))))).build();
        reqs.add(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(bare).addResourceMetrics(request(
                Metric.newBuilder().setName("up").setGauge(Gauge.newBuilder().addDataPoints(point(2))).build()).getResourceMetrics(0)).build());
        assertSameAsTheTranslator(reqs);
        OtlpTranslator.Result r = fast(new MemStorage(), reqs.get(0).toByteArray(), new SeriesRefCache(1 << 20));
        assertEquals(3, r.rejectedPoints(), "two delta points and one of unspecified temporality (a metric without data counts no point)");
        assertTrue(r.message().contains("metric \"nothing\" has no data"), r.message());
    }

    @Test
    void fieldOrderAndRepeatsOnTheWireDoNotChangeTheSeries() {
        // Attributes before the time and value, a resource sent in two pieces (merged), a gauge sent in two pieces.
        byte[] value = NumberDataPoint.newBuilder().setAsDouble(5).build().toByteArray();
        byte[] time = NumberDataPoint.newBuilder().setTimeUnixNano(T * 1_000_000).build().toByteArray();
        byte[] attrs = NumberDataPoint.newBuilder().addAttributes(kv("a", "1")).addAttributes(kv("b", "2")).build().toByteArray();
        byte[] attrsThenTime = concat(attrs, value, time);
        byte[] interleaved = concat(NumberDataPoint.newBuilder().addAttributes(kv("a", "1")).build().toByteArray(), time,
                NumberDataPoint.newBuilder().addAttributes(kv("b", "2")).build().toByteArray(), value);
        List<ExportMetricsServiceRequest> reqs = new java.util.ArrayList<>();
        for (byte[] p : List.of(attrsThenTime, interleaved, attrsThenTime)) {
            try {
                Gauge g = Gauge.newBuilder().addDataPoints(NumberDataPoint.parseFrom(p)).build();
                reqs.add(request(Metric.newBuilder().setName("m").setGauge(g).build()));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }
        assertSameAsTheTranslator(reqs);
        // The same points with their fields out of the usual order on the wire.
        byte[] gauge = concat(field(1, attrsThenTime), field(1, interleaved));
        byte[] metric = concat(Metric.newBuilder().setName("m").build().toByteArray(), field(5, gauge));
        ResourceMetrics rm = request().getResourceMetrics(0);
        byte[] resourceMetrics = concat(field(2, field(2, metric)), ResourceMetrics.newBuilder().setResource(rm.getResource()).build().toByteArray());
        byte[] body = field(1, resourceMetrics);
        MemStorage store = new MemStorage();
        fast(store, body, new SeriesRefCache(1 << 20));
        assertEquals(List.of("m{a=\"1\", b=\"2\", instance=\"host-1\", job=\"fleet/microsandbox\"} 5.0@" + T,
                "target_info{host_arch=\"amd64\", instance=\"host-1\", job=\"fleet/microsandbox\"} 1.0@" + T), stored(store));
    }

    @Test
    void attributesOfNewSeriesReadInPlaceNameTheSeriesAsTheGeneratedParserDoes() {
        // Shapes the in-place attribute read takes itself (one key, one string value, "" included)
        // and the ones it leaves to the generated parser: other value types, a value sent in two
        // pieces (merged: the later oneof case wins), a key sent twice (the later wins).
        byte[] str = AnyValue.newBuilder().setStringValue("x").build().toByteArray();
        byte[] empty = AnyValue.newBuilder().setStringValue("").build().toByteArray();
        byte[] bool = AnyValue.newBuilder().setBoolValue(true).build().toByteArray();
        byte[] dbl = AnyValue.newBuilder().setDoubleValue(0.25).build().toByteArray();
        byte[] arr = AnyValue.newBuilder().setArrayValue(io.opentelemetry.proto.common.v1.ArrayValue.newBuilder()
                .addValues(AnyValue.newBuilder().setStringValue("a")).addValues(AnyValue.newBuilder().setIntValue(2))).build().toByteArray();
        byte[] integer = AnyValue.newBuilder().setIntValue(9).build().toByteArray();
        List<byte[]> attrs = List.of(
                concat(field(1, bytes("s.str")), field(2, str)),
                concat(field(1, bytes("s.empty")), field(2, empty)),
                concat(field(1, bytes("b")), field(2, bool)),
                concat(field(1, bytes("d")), field(2, dbl)),
                concat(field(1, bytes("arr")), field(2, arr)),
                concat(field(1, bytes("merged")), field(2, integer), field(2, str)),
                concat(field(1, bytes("first")), field(1, bytes("second")), field(2, str)),
                concat(field(1, bytes("no.value"))),
                concat(field(2, str)));
        byte[] base = NumberDataPoint.newBuilder().setTimeUnixNano(T * 1_000_000).setAsDouble(1).build().toByteArray();
        for (byte[] a : attrs) {
            byte[] point = concat(base, field(7, a), field(7, concat(field(1, bytes("sandbox.name")), field(2, str))));
            byte[] metric = concat(Metric.newBuilder().setName("m").build().toByteArray(), field(5, field(1, point)));
            byte[] body = field(1, concat(ResourceMetrics.newBuilder().setResource(request().getResourceMetrics(0).getResource())
                    .build().toByteArray(), field(2, field(2, metric))));
            MemStorage plain = new MemStorage();
            MemStorage quick = new MemStorage();
            try {
                OtlpTranslatorTest.run(plain, ExportMetricsServiceRequest.parseFrom(body));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
            fast(quick, body, new SeriesRefCache(1 << 20));
            assertEquals(stored(plain), stored(quick));
            assertEquals(2, stored(quick).size(), stored(quick).toString());
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void malformedBodiesAreDecodeErrors() {
        byte[] good = request(Metric.newBuilder().setName("up").setGauge(Gauge.newBuilder().addDataPoints(point(1, kv("k", "v")))).build()).toByteArray();
        for (byte[] bad : List.of(Arrays.copyOf(good, good.length - 1), Arrays.copyOf(good, 20), new byte[] {0x0a, 0x7f, 0x00}, new byte[] {0x0f})) {
            OtlpCodec.DecodeException e = assertThrows(OtlpCodec.DecodeException.class,
                    () -> OtlpProtoReader.translate(bad, 0, bad.length, new MemStorage().appender(), new SeriesRefCache(1 << 20)));
            assertTrue(e.getMessage().startsWith("cannot decode OTLP protobuf body of " + bad.length + " bytes: "), e.getMessage());
        }
    }

    /** A length-delimited field. */
    static byte[] field(int number, byte[] payload) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            com.google.protobuf.CodedOutputStream o = com.google.protobuf.CodedOutputStream.newInstance(out);
            o.writeByteArray(number, payload);
            o.flush();
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
