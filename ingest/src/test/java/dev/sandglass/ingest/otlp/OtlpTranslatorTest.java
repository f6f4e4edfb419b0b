package dev.sandglass.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
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
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpTranslatorTest {
    static final long T = 1_700_000_000_123L;

    static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    static NumberDataPoint point(double v, KeyValue... attrs) {
        return NumberDataPoint.newBuilder().setTimeUnixNano(T * 1_000_000 + 456).setAsDouble(v).addAllAttributes(List.of(attrs)).build();
    }

    static ExportMetricsServiceRequest request(Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "microsandbox"))
                        .addAttributes(kv("service.namespace", "fleet")).addAttributes(kv("service.instance.id", "host-1"))
                        .addAttributes(kv("host.arch", "amd64")))
                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics)))).build();
    }

    static List<String> stored(MemStorage store) {
        List<String> out = new ArrayList<>();
        try (Querier q = store.querier(0, Long.MAX_VALUE)) {
            for (Series s : q.select(List.of(new Matcher(Matcher.Type.RE, "__name__", ".+")))) {
                StringBuilder sb = new StringBuilder(s.labels().toString());
                for (int i = 0; i < s.samples().size(); i++) {
                    double v = s.samples().value(i);
                    sb.append(' ').append(Values.isStaleNaN(v) ? "stale" : Double.toString(v)).append('@').append(s.samples().timestamp(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    static OtlpTranslator.Result run(MemStorage store, ExportMetricsServiceRequest req) {
        Appender app = store.appender();
        OtlpTranslator.Result r = OtlpTranslator.translate(req, app);
        app.commit();
        return r;
    }

    @Test
    void gaugesSumsAndHistogramsAreNamedAndLabelledAsPrometheusStoresThem() {
        MemStorage store = new MemStorage();
        Metric gauge = Metric.newBuilder().setName("microsandbox.memory.usage").setUnit("By")
                .setGauge(Gauge.newBuilder().addDataPoints(point(42, kv("sandbox.name", "web-1"), kv("sandbox-name", "b")))).build();
        Metric counter = Metric.newBuilder().setName("requests").setUnit("1").setSum(Sum.newBuilder().setIsMonotonic(true)
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).addDataPoints(point(7))).build();
        Metric hist = Metric.newBuilder().setName("latency").setUnit("s").setHistogram(Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T * 1_000_000).setCount(6).setSum(2.5)
                        .addAllExplicitBounds(List.of(0.1, 1.0)).addAllBucketCounts(List.of(1L, 2L, 3L)))).build();
        OtlpTranslator.Result r = run(store, request(gauge, counter, hist));
        assertEquals(0, r.rejectedPoints());
        String base = "instance=\"host-1\", job=\"fleet/microsandbox\"";
        assertEquals(List.of(
                "latency_seconds_bucket{" + base + ", le=\"+Inf\"} 6.0@" + T,
                "latency_seconds_bucket{" + base + ", le=\"0.1\"} 1.0@" + T,
                "latency_seconds_bucket{" + base + ", le=\"1\"} 3.0@" + T,
                "latency_seconds_count{" + base + "} 6.0@" + T,
                "latency_seconds_sum{" + base + "} 2.5@" + T,
                "microsandbox_memory_usage_bytes{" + base + ", sandbox_name=\"b;web-1\"} 42.0@" + T,
                "requests_total{" + base + "} 7.0@" + T,
                "target_info{host_arch=\"amd64\", " + base + "} 1.0@" + T), stored(store));
    }

    @Test
    void deltaAndExponentialAreRejectedByNameAndTheRestIsKept() {
        MemStorage store = new MemStorage();
        Metric delta = Metric.newBuilder().setName("hits").setSum(Sum.newBuilder().setIsMonotonic(true)
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA).addDataPoints(point(1)).addDataPoints(point(2))).build();
        Metric expo = Metric.newBuilder().setName("sizes").setExponentialHistogram(
                io.opentelemetry.proto.metrics.v1.ExponentialHistogram.newBuilder()
                        .addDataPoints(io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.newBuilder().setCount(1))).build();
        Metric ok = Metric.newBuilder().setName("up").setGauge(Gauge.newBuilder().addDataPoints(point(1))).build();
        OtlpTranslator.Result r = run(store, request(delta, expo, ok));
        assertEquals(3, r.rejectedPoints());
        assertTrue(r.message().contains("metric \"hits\": delta temporality is not supported"), r.message());
        assertTrue(r.message().contains("metric \"sizes\": exponential histograms are not supported"), r.message());
        assertEquals(2, stored(store).size(), "up and target_info");
    }

    @Test
    void theSeriesCacheStoresWhatTranslatingEveryPointStores() {
        MemStorage plain = new MemStorage();
        MemStorage cached = new MemStorage();
        OtlpSeriesCache cache = new OtlpSeriesCache(100);
        for (int round = 0; round < 3; round++) {
            Metric gauge = Metric.newBuilder().setName("mem").setUnit("By").setGauge(Gauge.newBuilder()
                    .addDataPoints(point(round, kv("sandbox.name", "a"))).addDataPoints(point(10 + round, kv("sandbox.name", "b")))).build();
            Metric sum = Metric.newBuilder().setName("mem").setUnit("By").setSum(Sum.newBuilder().setIsMonotonic(true)
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).addDataPoints(point(5, kv("sandbox.name", "a")))).build();
            ExportMetricsServiceRequest req = request(gauge, sum);
            assertEquals(run(plain, req), runCached(cached, req, cache));
        }
        assertEquals(stored(plain), stored(cached));
        assertEquals(3, cache.size(), "two gauge series and one counter: mem_bytes and mem_bytes_total are apart");
        assertTrue(stored(cached).contains("mem_bytes_total{instance=\"host-1\", job=\"fleet/microsandbox\", sandbox_name=\"a\"} 5.0@" + T),
                stored(cached).toString());
    }

    static OtlpTranslator.Result runCached(MemStorage store, ExportMetricsServiceRequest req, OtlpSeriesCache cache) {
        Appender app = store.appender();
        OtlpTranslator.Result r = OtlpTranslator.translate(req, app, cache);
        app.commit();
        return r;
    }

    @Test
    void noRecordedValueIsAStalenessMarker() {
        MemStorage store = new MemStorage();
        NumberDataPoint gone = NumberDataPoint.newBuilder().setTimeUnixNano(T * 1_000_000).setFlags(1).build();
        run(store, request(Metric.newBuilder().setName("up").setGauge(Gauge.newBuilder().addDataPoints(gone)).build()));
        assertTrue(stored(store).get(1).endsWith("} stale@" + T), stored(store).toString());
    }

    @Test
    void jsonBodiesDecodeLikeProtobufOnes() {
        String json = "{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"svc\"}}]},"
                + "\"scopeMetrics\":[{\"metrics\":[{\"name\":\"queue.size\",\"unit\":\"{items}\",\"gauge\":{\"dataPoints\":[{\"timeUnixNano\":\""
                + T * 1_000_000 + "\",\"asInt\":\"12\"}]}}]}]}]}";
        ExportMetricsServiceRequest req = OtlpCodec.decode(json.getBytes(StandardCharsets.UTF_8), true);
        MemStorage store = new MemStorage();
        run(store, req);
        assertEquals(List.of("queue_size{job=\"svc\"} 12.0@" + T), stored(store));
        OtlpCodec.DecodeException e = org.junit.jupiter.api.Assertions.assertThrows(OtlpCodec.DecodeException.class,
                () -> OtlpCodec.decode("{\"resourceMetrics\":5}".getBytes(StandardCharsets.UTF_8), true));
        assertTrue(e.getMessage().startsWith("cannot decode OTLP JSON body of 21 bytes"), e.getMessage());
            }
}
