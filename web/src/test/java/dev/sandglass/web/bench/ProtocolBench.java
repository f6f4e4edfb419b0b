package dev.sandglass.web.bench;

import dev.sandglass.ingest.remote.RemoteProto;
import dev.sandglass.ingest.remote.Snappy;
import dev.sandglass.storage.api.Labels;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ingestion throughput of msb-metrics-shaped collections (1,024 sandboxes x 16 series, one
 * collection per request and client thread) fed the same pre-encoded payloads over HTTP to each
 * receiver in the same run: remote write to Sandglass, VictoriaMetrics and Prometheus, then OTLP
 * protobuf to Sandglass. Each client thread owns a share of the sandboxes (as Prometheus shards by
 * series), so every series' samples arrive in order. After sending, each receiver is asked how
 * many samples it holds; a figure counts only if every sample is there.
 *
 * <p>Usage: ProtocolBench COLLECTIONS THREADS name=baseUrl... (names: sandglass, victoria-metrics,
 * prometheus; "sandglass" also gets the OTLP run).
 */
public final class ProtocolBench {
    static final int SANDBOXES = 1024;
    static final int SERIES = 16;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        int collections = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        long t0 = (System.currentTimeMillis() - collections * 1000L - 5000) / 1000 * 1000;
        System.out.printf("payloads: %d collections x %d sandboxes x %d series = %,d samples; %d client threads%n",
                collections, SANDBOXES, SERIES, (long) collections * SANDBOXES * SERIES, threads);
        byte[][][] rw = new byte[threads][collections][];
        byte[][][] otlp = new byte[threads][collections][];
        byte[][][] warmRw = new byte[threads][collections][];
        byte[][][] warmOtlp = new byte[threads][collections][];
        for (int k = 0; k < threads; k++) {
            for (int c = 0; c < collections; c++) {
                rw[k][c] = Snappy.compress(RemoteProto.encodeWrite(remoteWrite("rw_m", k, threads, t0 + c * 1000L, c)));
                otlp[k][c] = otlp("otlp.m", k, threads, t0 + c * 1000L, c).toByteArray();
                warmRw[k][c] = Snappy.compress(RemoteProto.encodeWrite(remoteWrite("warm_rw_m", k, threads, t0 + c * 1000L, c)));
                warmOtlp[k][c] = otlp("warm.otlp.m", k, threads, t0 + c * 1000L, c).toByteArray();
            }
        }
        System.out.printf("one request: remote write %,d bytes (snappy), OTLP %,d bytes%n", rw[0][0].length, otlp[0][0].length);
        long expected = (long) collections * SANDBOXES * SERIES;
        for (int i = 2; i < args.length; i++) {
            String name = args[i].substring(0, args[i].indexOf('='));
            String base = args[i].substring(args[i].indexOf('=') + 1);
            // An untimed pass of the same shape under other names first: the JVM's compiler warms
            // up (VictoriaMetrics and Prometheus are compiled ahead); series creation is timed in both.
            send(base + "/api/v1/write", "application/x-protobuf", "snappy", warmRw, threads);
            double rate = send(base + "/api/v1/write", "application/x-protobuf", "snappy", rw, threads);
            long stored = count(base, "rw_m", t0 + (collections - 1) * 1000L, collections, expected);
            System.out.printf("%-18s remote write  %,12.0f samples/s   stored %,d of %,d%s%n", name, rate, stored, expected,
                    stored == expected ? "" : "  (NOT ALL STORED)");
            if (name.equals("sandglass")) {
                send(base + "/v1/metrics", "application/x-protobuf", null, warmOtlp, threads);
                double orate = send(base + "/v1/metrics", "application/x-protobuf", null, otlp, threads);
                long ostored = count(base, "otlp_m", t0 + (collections - 1) * 1000L, collections, expected);
                System.out.printf("%-18s OTLP protobuf %,12.0f samples/s   stored %,d of %,d%s%n", name, orate, ostored, expected,
                        ostored == expected ? "" : "  (NOT ALL STORED)");
            }
        }
    }

    static List<RemoteProto.SeriesSamples> remoteWrite(String prefix, int shard, int shards, long t, int c) {
        List<RemoteProto.SeriesSamples> out = new ArrayList<>();
        for (int s = shard; s < SANDBOXES; s += shards) {
            for (int m = 0; m < SERIES; m++) {
                out.add(new RemoteProto.SeriesSamples(Labels.of("__name__", prefix + m, "job", "microsandbox", "instance", "bench",
                        "sandbox_name", "sbx-" + s, "sandbox_id", Integer.toString(s)), new long[] {t}, new double[] {value(s, m, c)}, 1));
            }
        }
        return out;
    }

    static ExportMetricsServiceRequest otlp(String prefix, int shard, int shards, long t, int c) {
        ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
        for (int m = 0; m < SERIES; m++) {
            Gauge.Builder g = Gauge.newBuilder();
            for (int s = shard; s < SANDBOXES; s += shards) {
                g.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(t * 1_000_000).setAsDouble(value(s, m, c))
                        .addAttributes(kv("sandbox.name", "sbx-" + s)).addAttributes(kv("sandbox.id", Integer.toString(s))));
            }
            scope.addMetrics(Metric.newBuilder().setName(prefix + m).setGauge(g));
        }
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "microsandbox")).addAttributes(kv("service.instance.id", "bench")))
                .addScopeMetrics(scope)).build();
    }

    static double value(int s, int m, int c) {
        return m < 8 ? (double) (c * 4096L + s * 7L + m) : 1e8 + s * 1024.5 + Math.sin(c + m);
    }

    static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    /** Sends every payload, thread k its own in order; samples per second of the whole. */
    static double send(String url, String type, String encoding, byte[][][] payloads, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            byte[][] mine = payloads[k];
            done.add(pool.submit(() -> {
                for (byte[] body : mine) {
                    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                    if (encoding != null) {
                        r.header("Content-Encoding", encoding).header("X-Prometheus-Remote-Write-Version", "0.1.0");
                    }
                    HttpResponse<String> resp = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
                    if (resp.statusCode() / 100 != 2 || resp.body().contains("rejected")) {
                        throw new IllegalStateException(url + " answered " + resp.statusCode() + ": " + resp.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return (double) payloads.length * payloads[0].length * SANDBOXES * SERIES / threads / secs;
    }

    static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.]+,\"([0-9.e+]+)\"\\]");

    /**
     * Samples the receiver holds for the benchmark's names, polled until complete or 30 s. One
     * query per name: count_over_time drops the name, so one query over all names would meet
     * Prometheus's duplicate-labelset error.
     */
    static long count(String base, String prefix, long end, int collections, long expected) throws Exception {
        long got = -1;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            got = 0;
            for (int m = 0; m < SERIES; m++) {
                String q = URLEncoder.encode("sum(count_over_time(" + prefix + m + "[" + (collections + 5) + "s]))", StandardCharsets.UTF_8);
                String url = base + "/api/v1/query?query=" + q + "&time=" + (end / 1000.0 + 0.5);
                String body = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
                Matcher mt = VALUE.matcher(body);
                got += mt.find() ? (long) Double.parseDouble(mt.group(1)) : 0;
            }
            if (got >= expected) {
                break;
            }
            Thread.sleep(500);
        }
        return got;
    }
}
