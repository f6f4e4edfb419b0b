package dev.sandglass.web.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandglass.storage.api.Matcher;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write bodies read by {@link PooledBody}: whole when longer than any first guess, 413 past the limit however sent. */
class PooledBodyTest {
    @TempDir
    Path dir;

    /** A gauge of {@code points} points, each its own series. */
    static byte[] export(int points) {
        Gauge.Builder g = Gauge.newBuilder();
        for (int i = 0; i < points; i++) {
            g.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(System.currentTimeMillis() * 1_000_000).setAsDouble(i)
                    .addAttributes(KeyValue.newBuilder().setKey("sandbox.name").setValue(AnyValue.newBuilder().setStringValue("sbx-" + i))));
        }
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(
                ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("pooled").setGauge(g)))).build().toByteArray();
    }

    /** POSTs {@code body} chunked (no Content-Length): the reader cannot size its array from the header. */
    static HttpResponse<String> chunked(ProtocolServer s, byte[] body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(s.url("/v1/metrics"))).header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        return ProtocolServer.HTTP.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aChunkedBodyLongerThanTheFirstArrayArrivesWhole() throws Exception {
        byte[] body = export(5_000); // ~220 KB: past the 64 KB a body of unknown length starts with
        try (ProtocolServer s = new ProtocolServer(dir, new WriteOptions(4 << 20, 4 << 20, false))) {
            for (int round = 0; round < 2; round++) { // the second reuses the pooled array
                HttpResponse<String> r = chunked(s, body);
                assertEquals(200, r.statusCode(), r.body());
            }
            assertEquals(5_000, s.select(Matcher.eq("__name__", "pooled")).size());
            assertEquals(200, s.post("/v1/metrics", "application/x-protobuf", export(3)).statusCode(), "a short body after a long one");
            assertEquals(5_000, s.select(Matcher.eq("__name__", "pooled")).size());
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        byte[] body = export(2_000);
        try (ProtocolServer s = new ProtocolServer(dir, new WriteOptions(body.length - 1, 4 << 20, false))) {
            assertEquals(413, chunked(s, body).statusCode());
            assertEquals(413, s.post("/v1/metrics", "application/x-protobuf", body).statusCode(), "declared over the limit");
            assertEquals(0, s.select(Matcher.eq("__name__", "pooled")).size());
            assertEquals(200, chunked(s, export(10)).statusCode(), "the next request is read as usual");
        }
    }
}
