package dev.sandglass.ingest.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import dev.sandglass.storage.mem.MemStorage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteProtoTest {
    static RemoteProto.SeriesSamples series(Labels l, long[] ts, double[] vs) {
        return new RemoteProto.SeriesSamples(l, ts, vs, ts.length);
    }

    @Test
    void writeRequestRoundTripsEveryBitPattern() {
        double[] odd = {0.0, -0.0, Values.STALE_NAN, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE, 1e308, -1.5};
        long[] ts = {-1000, 0, 1, 1_700_000_000_000L, 1_700_000_000_001L, Long.MAX_VALUE / 2, 5, 6};
        List<RemoteProto.SeriesSamples> in = List.of(
                series(Labels.of("__name__", "a", "job", "x\"y\n"), ts, odd),
                series(Labels.of("__name__", "b"), new long[0], new double[0]));
        List<String> names = new ArrayList<>();
        List<long[]> gotTs = new ArrayList<>();
        List<double[]> gotVs = new ArrayList<>();
        RemoteProto.decodeWrite(RemoteProto.encodeWrite(in), (pairs, nl, t, v, n) -> {
            names.add(Labels.of(java.util.Arrays.copyOf(pairs, 2 * nl)).toString());
            gotTs.add(java.util.Arrays.copyOf(t, n));
            gotVs.add(java.util.Arrays.copyOf(v, n));
        });
        assertEquals(List.of(in.get(0).labels().toString(), in.get(1).labels().toString()), names);
        assertArrayEquals(ts, gotTs.get(0));
        for (int i = 0; i < odd.length; i++) {
            assertEquals(Double.doubleToRawLongBits(odd[i]), Double.doubleToRawLongBits(gotVs.get(0)[i]), "value " + i);
        }
        assertEquals(0, gotTs.get(1).length);
    }

    @Test
    void readRequestRoundTrips() {
        List<Matcher> ms = List.of(Matcher.eq("__name__", "up"), new Matcher(Matcher.Type.NRE, "job", "a.*"),
                new Matcher(Matcher.Type.NEQ, "x", ""), new Matcher(Matcher.Type.RE, "y", "b|c"));
        List<RemoteProto.ReadQuery> got = RemoteProto.decodeRead(RemoteProto.encodeRead(List.of(new RemoteProto.ReadQuery(10, 20, ms))));
        assertEquals(1, got.size());
        assertEquals(10, got.get(0).startMs());
        assertEquals(20, got.get(0).endMs());
        assertEquals(ms, got.get(0).matchers());
    }

    @Test
    void garbageIsADecodeErrorNotACrash() {
        byte[] junk = {(byte) 0x0a, (byte) 0xff, (byte) 0xff, 0x01};
        RemoteProto.DecodeException e = assertThrows(RemoteProto.DecodeException.class, () -> RemoteProto.decodeWrite(junk, (p, nl, t, v, n) -> { }));
        assertTrue(e.getMessage().startsWith("cannot decode remote write protobuf of 4 bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Snappy.uncompress(new byte[] {1, 2, 3, 4, 5}, 1000));
    }

    @Test
    void snappyBodyOverItsLimitIsRefusedBeforeExpanding() {
        byte[] big = Snappy.compress(new byte[100_000]);
        Snappy.TooLarge e = assertThrows(Snappy.TooLarge.class, () -> Snappy.uncompress(big, 10_000));
        assertEquals("body decompresses to 100000 bytes, over the limit of 10000", e.getMessage());
    }

    @Test
    void ingesterKeepsTheGoodSamplesAndNamesTheBadOnes() {
        MemStorage store = new MemStorage();
        byte[] body = RemoteProto.encodeWrite(List.of(
                series(Labels.of("__name__", "good", "job", "j"), new long[] {3000, 1000, 2000}, new double[] {3, 1, 2}),
                series(Labels.of("job", "nameless"), new long[] {1000}, new double[] {1}),
                series(Labels.of("__name__", "old"), new long[] {10, 5000}, new double[] {1, 2})));
        Appender app = store.appender();
        RemoteWriteIngester.Result r = RemoteWriteIngester.ingest(body, app, 500);
        app.commit();
        assertEquals(4, r.samples());
        assertEquals(2, r.rejected());
        assertEquals("series without a metric name (__name__)", r.firstError());
        try (Querier q = store.querier(0, 10_000)) {
            List<Series> good = q.select(List.of(Matcher.eq("__name__", "good")));
            assertEquals(3, good.get(0).samples().size());
            assertEquals(1000, good.get(0).samples().timestamp(0), "out-of-order samples are filed by time");
            List<Series> old = q.select(List.of(Matcher.eq("__name__", "old")));
            assertEquals(1, old.get(0).samples().size());
            assertEquals(5000, old.get(0).samples().timestamp(0));
        }
    }

    @Test
    void theSeriesCacheGivesTheSameStoreAsDecodingEveryLabel() {
        List<RemoteProto.SeriesSamples> first = List.of(
                series(Labels.of("__name__", "a", "job", "j"), new long[] {1000}, new double[] {1}),
                series(Labels.of("__name__", "b", "job", "j"), new long[] {1000}, new double[] {2}),
                series(Labels.of("job", "nameless"), new long[] {1000}, new double[] {3}));
        List<RemoteProto.SeriesSamples> second = List.of(
                series(Labels.of("__name__", "b", "job", "j"), new long[] {2000}, new double[] {20}),
                series(Labels.of("__name__", "a", "job", "j"), new long[] {2000, 3000}, new double[] {10, 11}),
                series(Labels.of("job", "nameless"), new long[] {2000}, new double[] {30}));
        MemStorage plain = new MemStorage();
        MemStorage cached = new MemStorage();
        SeriesRefCache cache = new SeriesRefCache(1 << 20);
        for (List<RemoteProto.SeriesSamples> req : List.of(first, second)) {
            byte[] body = RemoteProto.encodeWrite(req);
            Appender a = plain.appender();
            RemoteWriteIngester.Result r1 = RemoteWriteIngester.ingest(body, a, 0);
            a.commit();
            Appender b = cached.appender();
            RemoteWriteIngester.Result r2 = RemoteWriteIngester.ingest(body, b, 0, cache);
            b.commit();
            assertEquals(r1, r2);
        }
        assertEquals(2, cache.size(), "valid series only");
        try (Querier q1 = plain.querier(0, 10_000); Querier q2 = cached.querier(0, 10_000)) {
            List<Matcher> all = List.of(new Matcher(Matcher.Type.RE, "__name__", ".+"));
            assertEquals(q1.select(all).toString().length() > 0, true);
            for (int i = 0; i < 2; i++) {
                Series s1 = q1.select(all).get(i);
                Series s2 = q2.select(all).get(i);
                assertEquals(s1.labels(), s2.labels());
                assertArrayEquals(java.util.Arrays.copyOf(s1.samples().timestamps(), s1.samples().size()),
                        java.util.Arrays.copyOf(s2.samples().timestamps(), s2.samples().size()));
                assertArrayEquals(java.util.Arrays.copyOf(s1.samples().values(), s1.samples().size()),
                        java.util.Arrays.copyOf(s2.samples().values(), s2.samples().size()));
            }
            assertEquals(3, q2.select(List.of(Matcher.eq("__name__", "a"))).get(0).samples().size());
        }
    }

    @Test
    void invalidLabelSetsAreNamed() {
        assertEquals("invalid label name \"a-b\"", RemoteWriteIngester.invalid(new String[] {"__name__", "x", "a-b", "1"}, 2));
        assertEquals("duplicate label name \"a\"", RemoteWriteIngester.invalid(new String[] {"__name__", "x", "a", "1", "a", "2"}, 3));
        assertEquals(null, RemoteWriteIngester.invalid(new String[] {"__name__", "x", "a", "1"}, 2));
    }
}
