package dev.sandglass.web.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.ingest.remote.RemoteProto;
import dev.sandglass.ingest.remote.Snappy;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/v1/write over HTTP: Prometheus's answers for a good batch, a partly bad one, garbage and an oversized body. */
class RemoteWriteReceiverTest {
    static byte[] body(RemoteProto.SeriesSamples... series) {
        return Snappy.compress(RemoteProto.encodeWrite(List.of(series)));
    }

    @Test
    void answersAsPrometheusDoes(@TempDir Path dir) throws Exception {
        long now = System.currentTimeMillis();
        try (ProtocolServer s = new ProtocolServer(dir, new WriteOptions(1 << 20, 64 << 10, false), 3600_000L)) {
            HttpResponse<byte[]> r = s.post("/api/v1/write", "application/x-protobuf", body(new RemoteProto.SeriesSamples(
                    Labels.of("__name__", "up", "job", "a"), new long[] {now - 2000, now - 1000}, new double[] {1, 0}, 2)),
                    "Content-Encoding", "snappy");
            assertEquals(204, r.statusCode());
            r = s.post("/api/v1/write", "application/x-protobuf", body(
                    new RemoteProto.SeriesSamples(Labels.of("__name__", "up", "job", "a"), new long[] {now}, new double[] {1}, 1),
                    new RemoteProto.SeriesSamples(Labels.of("__name__", "up", "job", "old"), new long[] {now - 7200_000L}, new double[] {1}, 1)),
                    "Content-Encoding", "snappy");
            assertEquals(400, r.statusCode(), "a sample behind the retention window is not to be retried");
            String text = new String(r.body(), StandardCharsets.UTF_8);
            assertTrue(text.startsWith("1 samples rejected, 1 stored; first: out of bounds"), text);
            assertEquals(3, s.select(Matcher.eq("__name__", "up"), Matcher.eq("job", "a")).get(0).samples().size(), "the good ones are kept");
            r = s.post("/api/v1/write", "application/x-protobuf", "not snappy at all".getBytes(StandardCharsets.UTF_8));
            assertEquals(400, r.statusCode());
            r = s.post("/api/v1/write", "application/x-protobuf", Snappy.compress(new byte[200_000]));
            assertEquals(413, r.statusCode(), "over the limit once decompressed");
            r = s.post("/api/v1/write", "application/x-protobuf", new byte[100_000]);
            assertEquals(413, r.statusCode(), "over the limit as sent");
            assertEquals(2, s.metrics.get(WriteMetrics.Kind.RW_FAILED), "garbage and the expanding body (an oversized body is refused before the handler)");
        }
    }

    /**
     * The endpoint reuses appenders between requests: what a failed request appended before its
     * error, or what a partly rejected one kept, is never stored again by the requests after it.
     */
    @Test
    void eachRequestStoresExactlyItsOwnSamples(@TempDir Path dir) throws Exception {
        long now = System.currentTimeMillis();
        try (ProtocolServer s = new ProtocolServer(dir, new WriteOptions(1 << 20, 64 << 10, false), 3600_000L)) {
            int stored = 0;
            for (int i = 0; i < 6; i++) {
                long t = now - 60_000 + i * 1000;
                byte[] good = RemoteProto.encodeWrite(List.of(new RemoteProto.SeriesSamples(Labels.of("__name__", "reuse", "job", "a"),
                        new long[] {t}, new double[] {i}, 1)));
                // One series decoded and appended, then a series field running past the end.
                byte[] partBroken = RemoteProto.encodeWrite(List.of(new RemoteProto.SeriesSamples(Labels.of("__name__", "reuse", "job", "a"),
                        new long[] {t + 500}, new double[] {100 + i}, 1)));
                partBroken = java.util.Arrays.copyOf(partBroken, partBroken.length + 2);
                partBroken[partBroken.length - 2] = 0x0a;
                partBroken[partBroken.length - 1] = 0x7f;
                assertEquals(400, s.post("/api/v1/write", "application/x-protobuf", Snappy.compress(partBroken)).statusCode());
                HttpResponse<byte[]> r = s.post("/api/v1/write", "application/x-protobuf", Snappy.compress(RemoteProto.encodeWrite(List.of(
                        new RemoteProto.SeriesSamples(Labels.of("__name__", "reuse", "job", "a"), new long[] {t + 250}, new double[] {50 + i}, 1),
                        new RemoteProto.SeriesSamples(Labels.of("__name__", "reuse", "job", "old"), new long[] {now - 7200_000L}, new double[] {1}, 1)))));
                assertEquals(400, r.statusCode(), "one sample out of bounds");
                stored++;
                assertEquals(204, s.post("/api/v1/write", "application/x-protobuf", Snappy.compress(good)).statusCode());
                stored++;
            }
            var got = s.select(Matcher.eq("__name__", "reuse"), Matcher.eq("job", "a")).get(0).samples();
            assertEquals(stored, got.size(), "the broken requests' first series stored nothing: " + got);
            assertEquals(0, s.select(Matcher.eq("__name__", "reuse"), Matcher.eq("job", "old")).size());
        }
    }
}
