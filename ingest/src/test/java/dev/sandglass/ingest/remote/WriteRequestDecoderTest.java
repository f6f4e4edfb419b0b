package dev.sandglass.ingest.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.mem.MemStorage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-place WriteRequest reader on bodies Prometheus's encoder does not produce but the format allows. */
class WriteRequestDecoderTest {
    /** A field-by-field encoder, so tests can put fields in any order and add unknown ones. */
    static final class Msg {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

        Msg bytes(int field, byte[] b) throws IOException {
            out.writeByteArray(field, b);
            return this;
        }

        Msg msg(int field, Msg m) throws IOException {
            return bytes(field, m.build());
        }

        Msg str(int field, String s) throws IOException {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Msg dbl(int field, double v) throws IOException {
            out.writeDouble(field, v);
            return this;
        }

        Msg i64(int field, long v) throws IOException {
            out.writeInt64(field, v);
            return this;
        }

        Msg fixed32(int field, int v) throws IOException {
            out.writeFixed32(field, v);
            return this;
        }

        byte[] build() throws IOException {
            out.flush();
            return bytes.toByteArray();
        }
    }

    static Msg label(String name, String value) throws IOException {
        return new Msg().str(1, name).str(2, value);
    }

    static Msg sample(double v, long t) throws IOException {
        return new Msg().dbl(1, v).i64(2, t);
    }

    static List<Series> select(MemStorage store, String name) {
        try (Querier q = store.querier(0, Long.MAX_VALUE)) {
            return q.select(List.of(Matcher.eq("__name__", name)));
        }
    }

    @Test
    void labelsAfterSamplesAreReadAndNeverTakenForAnotherSeriesFromTheCache() throws IOException {
        MemStorage store = new MemStorage();
        SeriesRefCache cache = new SeriesRefCache(1 << 20);
        // Series 1: {__name__="m"}; series 2 starts with the same label field, then a sample, then job="b".
        byte[] body = new Msg()
                .msg(1, new Msg().msg(1, label("__name__", "m")).msg(2, sample(1, 1000)))
                .msg(1, new Msg().msg(1, label("__name__", "m")).msg(2, sample(2, 1000)).msg(1, label("job", "b")))
                .build();
        for (int round = 0; round < 2; round++) {
            Appender app = store.appender();
            RemoteWriteIngester.Result r = RemoteWriteIngester.ingest(body, app, 0, cache);
            app.commit();
            assertEquals(new RemoteWriteIngester.Result(2, 0, null), r);
        }
        List<Series> got = select(store, "m");
        assertEquals(2, got.size());
        assertEquals(Labels.of("__name__", "m"), got.get(0).labels());
        assertEquals(1.0, got.get(0).samples().value(0));
        assertEquals(Labels.of("__name__", "m", "job", "b"), got.get(1).labels());
        assertEquals(2.0, got.get(1).samples().value(0));
        assertEquals(1, cache.size(), "only the series whose labels lead are keyed by their bytes");
    }

    @Test
    void unknownFieldsAreSkippedAtEveryLevel() throws IOException {
        byte[] body = new Msg()
                .msg(3, new Msg().str(1, "metadata, skipped"))
                .msg(1, new Msg().msg(1, label("__name__", "m").fixed32(7, 5)).msg(3, new Msg().dbl(1, 9))
                        .msg(2, sample(4, 2000).fixed32(9, 1)).i64(15, 3))
                .build();
        MemStorage store = new MemStorage();
        Appender app = store.appender();
        assertEquals(1, RemoteWriteIngester.ingest(body, app, 0, new SeriesRefCache(1 << 20)).samples());
        app.commit();
        assertEquals(4.0, select(store, "m").get(0).samples().value(0));
    }

    @Test
    void malformedBodiesAreDecodeErrorsWithNothingAppended() throws IOException {
        byte[] good = new Msg().msg(1, new Msg().msg(1, label("__name__", "m")).msg(2, sample(1, 1000))).build();
        byte[] badUtf8 = new Msg().msg(1, new Msg().msg(1, new Msg().str(1, "__name__").bytes(2, new byte[] {'a', (byte) 0xc3}))).build();
        List<byte[]> bad = List.of(Arrays.copyOf(good, good.length - 1), Arrays.copyOf(good, good.length - 3), badUtf8,
                new byte[] {0x0a, 0x05, 0x12, 0x03, 0x09, 0x00}, new byte[] {0x0b});
        for (byte[] b : bad) {
            MemStorage store = new MemStorage();
            Appender app = store.appender();
            RemoteProto.DecodeException e = assertThrows(RemoteProto.DecodeException.class,
                    () -> RemoteWriteIngester.ingest(b, app, 0, new SeriesRefCache(1 << 20)), Arrays.toString(b));
            assertTrue(e.getMessage().startsWith("cannot decode remote write protobuf of " + b.length + " bytes: "), e.getMessage());
        }
    }

    @Test
    void aStoreFailureIsPassedOnNotTakenForABadBody() throws IOException {
        byte[] body = new Msg().msg(1, new Msg().msg(1, label("__name__", "m")).msg(2, sample(1, 1000))).build();
        Appender failing = new Appender() {
            public long seriesRef(Labels labels) {
                throw new StorageException("disk full");
            }

            public void append(long ref, long t, double v) {
            }

            public void commit() {
            }

            public void rollback() {
            }
        };
        StorageException e = assertThrows(StorageException.class, () -> RemoteWriteIngester.ingest(body, failing, 0, null));
        assertEquals("disk full", e.getMessage());
    }

    @Test
    void aSeriesOverTheStoreLimitsIsRejectedAndTheRestKept() throws IOException {
        byte[] body = RemoteProto.encodeWrite(List.of(
                new RemoteProto.SeriesSamples(Labels.of("__name__", "big", "v", "x".repeat(5000)), new long[] {1000}, new double[] {1}, 1),
                new RemoteProto.SeriesSamples(Labels.of("__name__", "ok"), new long[] {1000}, new double[] {2}, 1)));
        MemStorage store = new MemStorage();
        Appender app = store.appender();
        RemoteWriteIngester.Result r = RemoteWriteIngester.ingest(body, app, 0, new SeriesRefCache(1 << 20));
        app.commit();
        assertEquals(1, r.samples());
        assertEquals(1, r.rejected());
        assertEquals("value of label v has 5000 characters, more than the limit of 4096", r.firstError());
        assertEquals(1, select(store, "ok").size());
        assertEquals(List.of(), select(store, "big"));
    }

    @Test
    void aCachedSeriesIsTheOneItsBytesName() throws IOException {
        List<RemoteProto.SeriesSamples> series = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            series.add(new RemoteProto.SeriesSamples(Labels.of("__name__", "m", "i", Integer.toString(i)), new long[] {1000}, new double[] {i}, 1));
        }
        byte[] body = RemoteProto.encodeWrite(series);
        MemStorage store = new MemStorage();
        SeriesRefCache cache = new SeriesRefCache(1 << 20);
        for (int round = 0; round < 3; round++) {
            Appender app = store.appender();
            RemoteWriteIngester.ingest(body, app, 0, cache);
            app.commit();
        }
        List<Series> got = select(store, "m");
        assertEquals(500, got.size());
        for (Series s : got) {
            assertEquals(Double.parseDouble(s.labels().get("i")), s.samples().value(0), s.labels().toString());
        }
    }
}
