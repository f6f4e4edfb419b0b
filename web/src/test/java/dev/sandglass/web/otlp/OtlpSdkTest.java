package dev.sandglass.web.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Series;
import dev.sandglass.web.remote.ProtocolServer;
import dev.sandglass.web.remote.WriteMetrics;
import dev.sandglass.web.remote.WriteOptions;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.JsonExporters;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real OpenTelemetry Java SDK and its OTLP/HTTP exporter pushing into a running Sandglass. */
class OtlpSdkTest {
    /** The exporters' HTTP executor, ours: one the sender owns makes its shutdown wait about 5 s. */
    static final java.util.concurrent.ExecutorService EXECUTOR = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "otlp-test-sender");
        t.setDaemon(true);
        return t;
    });
    static final AttributeKey<String> SANDBOX = AttributeKey.stringKey("sandbox.name");

    /** Records one collection of msb-metrics-like instruments and flushes it through {@code exporter}. */
    static void push(MetricExporter exporter) {
        java.util.concurrent.ScheduledExecutorService scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "microsandbox",
                AttributeKey.stringKey("service.instance.id"), "host-1", AttributeKey.stringKey("host.arch"), "amd64"));
        SdkMeterProvider provider = SdkMeterProvider.builder().setResource(resource)
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).setExecutor(scheduler).build()).build();
        try {
            Meter meter = provider.get("msb-metrics");
            meter.gaugeBuilder("microsandbox.memory.usage").setUnit("By").ofLongs()
                    .buildWithCallback(m -> m.record(123_456_789L, Attributes.of(SANDBOX, "web-1")));
            meter.gaugeBuilder("microsandbox.cpu.utilization").setUnit("1")
                    .buildWithCallback(m -> m.record(0.25, Attributes.of(SANDBOX, "web-1")));
            meter.counterBuilder("sandbox.restarts").setUnit("{restart}").build().add(3, Attributes.of(SANDBOX, "web-1"));
            var h = meter.histogramBuilder("collect.duration").setUnit("s").setExplicitBucketBoundariesAdvice(List.of(0.1, 1.0)).build();
            h.record(0.05);
            h.record(0.5);
            assertTrue(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "export succeeded");
        } finally {
            // The provider's own shutdown waits about 5 s for its reader; the flush above is what
            // counts, so the reader's scheduler and the exporter are stopped directly.
            scheduler.shutdownNow();
            exporter.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    static double value(ProtocolServer s, Matcher... ms) {
        List<Series> found = s.select(ms);
        assertEquals(1, found.size(), "one series for " + List.of(ms) + ", got " + found);
        return found.get(0).samples().value(found.get(0).samples().size() - 1);
    }

    static void assertStoredAsPrometheusNamesThem(ProtocolServer s) {
        Matcher job = Matcher.eq("job", "microsandbox");
        Matcher inst = Matcher.eq("instance", "host-1");
        Matcher web1 = Matcher.eq("sandbox_name", "web-1");
        assertEquals(123_456_789.0, value(s, Matcher.eq("__name__", "microsandbox_memory_usage_bytes"), job, inst, web1));
        assertEquals(0.25, value(s, Matcher.eq("__name__", "microsandbox_cpu_utilization_ratio"), job, inst, web1));
        assertEquals(3.0, value(s, Matcher.eq("__name__", "sandbox_restarts_total"), job, inst, web1));
        assertEquals(1.0, value(s, Matcher.eq("__name__", "collect_duration_seconds_bucket"), Matcher.eq("le", "0.1")));
        assertEquals(2.0, value(s, Matcher.eq("__name__", "collect_duration_seconds_bucket"), Matcher.eq("le", "1")));
        assertEquals(2.0, value(s, Matcher.eq("__name__", "collect_duration_seconds_bucket"), Matcher.eq("le", "+Inf")));
        assertEquals(0.55, value(s, Matcher.eq("__name__", "collect_duration_seconds_sum")), 1e-12);
        assertEquals(2.0, value(s, Matcher.eq("__name__", "collect_duration_seconds_count")));
        assertEquals(1.0, value(s, Matcher.eq("__name__", "target_info"), job, inst, Matcher.eq("host_arch", "amd64")));
    }

    @Test
    void protobufWithGzipFromTheSdkIsStoredUnderPrometheusNames(@TempDir Path dir) {
        try (ProtocolServer s = new ProtocolServer(dir, WriteOptions.defaults())) {
            push(OtlpHttpMetricExporter.builder().setExecutorService(EXECUTOR).setEndpoint(s.url("/v1/metrics")).setCompression("gzip").build());
            assertStoredAsPrometheusNamesThem(s);
            assertEquals(0, s.metrics.get(WriteMetrics.Kind.OTLP_REJECTED));
        }
    }

    @Test
    void jsonFromTheSdkOnPrometheusPathIsStoredTheSame(@TempDir Path dir) {
        try (ProtocolServer s = new ProtocolServer(dir, WriteOptions.defaults())) {
            push(JsonExporters.json(s.url("/api/v1/otlp/v1/metrics"), EXECUTOR));
            assertStoredAsPrometheusNamesThem(s);
        }
    }

    @Test
    void deltaFromTheSdkIsRejectedWithAPartialSuccessAndGaugesAreKept(@TempDir Path dir) {
        try (ProtocolServer s = new ProtocolServer(dir, WriteOptions.defaults())) {
            push(OtlpHttpMetricExporter.builder().setExecutorService(EXECUTOR).setEndpoint(s.url("/v1/metrics"))
                    .setAggregationTemporalitySelector(AggregationTemporalitySelector.deltaPreferred()).build());
            assertEquals(0, s.select(Matcher.eq("__name__", "sandbox_restarts_total")).size());
            assertTrue(s.metrics.get(WriteMetrics.Kind.OTLP_REJECTED) >= 2, "the counter's point and the histogram's");
            assertEquals(123_456_789.0, value(s, Matcher.eq("__name__", "microsandbox_memory_usage_bytes")));
        }
    }

    @Test
    void errorsFollowTheOtlpHttpSpec(@TempDir Path dir) throws Exception {
        try (ProtocolServer s = new ProtocolServer(dir, new WriteOptions(1000, 1000, false))) {
            HttpResponse<byte[]> r = s.post("/v1/metrics", "text/plain", new byte[] {1});
            assertEquals(415, r.statusCode());
            r = s.post("/v1/metrics", "application/x-protobuf", new byte[] {(byte) 0xff, 0x01});
            assertEquals(400, r.statusCode());
            assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("cannot decode OTLP protobuf body of 2 bytes"));
            r = s.post("/v1/metrics", "application/json", "{\"resourceMetrics\":".getBytes(StandardCharsets.UTF_8));
            assertEquals(400, r.statusCode());
            assertTrue(new String(r.body(), StandardCharsets.UTF_8).startsWith("{\"code\":3,\"message\":\"cannot decode OTLP JSON"));
            r = s.post("/v1/metrics", "application/x-protobuf", new byte[5000]);
            assertEquals(413, r.statusCode());
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(zipped)) {
                z.write(new byte[50_000]);
            }
            r = s.post("/v1/metrics", "application/x-protobuf", zipped.toByteArray(), "Content-Encoding", "gzip");
            assertEquals(413, r.statusCode(), "the limit holds after gunzip too");
            r = s.post("/v1/metrics", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
            assertEquals(200, r.statusCode());
            assertEquals("{}", new String(r.body(), StandardCharsets.UTF_8));
            String delta = "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"hits\",\"sum\":{\"aggregationTemporality\":1,"
                    + "\"isMonotonic\":true,\"dataPoints\":[{\"asInt\":\"1\"}]}}]}]}]}";
            r = s.post("/v1/metrics", "application/json", delta.getBytes(StandardCharsets.UTF_8));
            assertEquals(200, r.statusCode());
            assertEquals("{\"partialSuccess\":{\"rejectedDataPoints\":\"1\",\"errorMessage\":\"metric \\\"hits\\\": delta temporality is not"
                    + " supported; export cumulative temporality instead\"}}", new String(r.body(), StandardCharsets.UTF_8));
            r = s.post("/v1/metrics", "application/x-protobuf",
                    io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.newBuilder().build().toByteArray());
            assertEquals(200, r.statusCode());
            assertEquals(ExportMetricsServiceResponse.getDefaultInstance(), ExportMetricsServiceResponse.parseFrom(r.body()));
        }
    }

    @Test
    void disabledWritesAnswer404(@TempDir Path dir) throws Exception {
        try (ProtocolServer s = new ProtocolServer(dir, new WriteOptions(1000, 1000, true))) {
            for (String p : List.of("/v1/metrics", "/api/v1/otlp/v1/metrics", "/api/v1/write")) {
                HttpResponse<byte[]> r = s.post(p, "application/x-protobuf", new byte[0]);
                assertEquals(404, r.statusCode(), p);
                assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("--web.disable-write"));
            }
        }
    }
}
