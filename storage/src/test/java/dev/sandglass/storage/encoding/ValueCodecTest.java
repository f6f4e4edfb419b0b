package dev.sandglass.storage.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sandglass.storage.api.Values;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ValueCodecTest {
    static Stream<Arguments> cases() {
        Random r = new Random(3);
        double[] random = new double[500];
        for (int i = 0; i < random.length; i++) {
            random[i] = Double.longBitsToDouble(r.nextLong());
        }
        double[] ratio = new double[300];
        for (int i = 0; i < ratio.length; i++) {
            ratio[i] = Math.round(r.nextDouble() * 4 * 10000) / 10000.0;
        }
        double[] pages = new double[300];
        double m = 100 << 20;
        for (int i = 0; i < pages.length; i++) {
            m += (r.nextInt(200) - 100) * 4096;
            pages[i] = m;
        }
        double[] wide = new double[200];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = (i % 2 == 0 ? 1 : -1) * (double) ((1L << 52) - 1 - r.nextInt(1000));
        }
        double[] steady = new double[400];
        double[] steadyDecimal = new double[400];
        long c = 0;
        long cd = 0;
        for (int i = 0; i < steady.length; i++) {
            c += 1_000_000 + r.nextInt(300);
            steady[i] = c;
            cd += 10_000 + r.nextInt(300);
            steadyDecimal[i] = cd / 1000.0;
        }
        double[] idle = new double[1000];
        double[] idleDecimal = new double[1000];
        double[] edges = new double[3 * ValueCodec.SPARSE_FRAME + 2];
        long rx = 123_456;
        for (int i = 0; i < idle.length; i++) {
            if (r.nextInt(20) == 0) {
                rx += 60 + r.nextInt(20_000);
            }
            idle[i] = rx;
            idleDecimal[i] = Math.round(rx / 7.0) / 100.0;
        }
        for (int i = 0; i < edges.length; i++) {
            // Changes at the first and last delta of each bitmap, and at the very end.
            int k = (i - 1) % ValueCodec.SPARSE_FRAME;
            edges[i] = i == 0 ? -5 : edges[i - 1] + (k == 0 || k == ValueCodec.SPARSE_FRAME - 1 || i == edges.length - 1 ? -3 * i : 0);
        }
        double[] uptime = new double[300];
        for (int i = 0; i < uptime.length; i++) {
            uptime[i] = Math.round((1234.567 + i) * 1000) / 1000.0;
        }
        return Stream.of(
                Arguments.of("constant", new double[] {5, 5, 5, 5}, Encoding.CONST),
                Arguments.of("constant NaN payload", new double[] {Double.longBitsToDouble(0x7ff8000000000123L), Double.longBitsToDouble(0x7ff8000000000123L)}, Encoding.CONST),
                Arguments.of("page-multiple memory", pages, Encoding.INT_PACKED),
                Arguments.of("counter", new double[] {0, 4096, 8192, 12288, 16384, 20480, 24576}, Encoding.INT_DOD),
                Arguments.of("ratio to 4 places", ratio, Encoding.SCALED_PACKED),
                Arguments.of("wide deltas, packed 56 bits wide", wide, Encoding.INT_PACKED),
                Arguments.of("one frame exactly", Arrays.copyOf(pages, ValueCodec.FRAME + 1), Encoding.INT_PACKED),
                Arguments.of("steady counter: packed delta-of-deltas", steady, Encoding.INT_DOD_PACKED),
                Arguments.of("steady decimal counter", steadyDecimal, Encoding.SCALED_DOD_PACKED),
                Arguments.of("two values: varint deltas", new double[] {1, 5}, Encoding.INT_DELTA),
                Arguments.of("two decimals: varint deltas", new double[] {0.5, 0.7}, Encoding.SCALED_DELTA),
                Arguments.of("uptime to 3 places", uptime, Encoding.SCALED_DOD),
                Arguments.of("idle counter: sparse deltas", idle, Encoding.INT_SPARSE),
                Arguments.of("rarely changing decimal: sparse", idleDecimal, Encoding.SCALED_SPARSE),
                Arguments.of("sparse changes at bitmap edges", edges, Encoding.INT_SPARSE),
                Arguments.of("negative zero", new double[] {0.0, -0.0, 1.0}, Encoding.XOR),
                Arguments.of("staleness marker", new double[] {1, 2, Values.STALE_NAN, 3}, Encoding.XOR),
                Arguments.of("infinities", new double[] {1, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}, Encoding.XOR),
                Arguments.of("subnormal and extremes", new double[] {Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 4.9e-324}, Encoding.XOR),
                Arguments.of("random bits", random, Encoding.XOR),
                Arguments.of("single value", new double[] {0.1}, Encoding.CONST),
                Arguments.of("large integers", new double[] {9007199254740991.0, -9007199254740991.0, 3}, Encoding.INT_DOD),
                Arguments.of("beyond 2^53", new double[] {9007199254740992.0, 1e300, 3}, Encoding.XOR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void roundTripsEveryBitAndPicksTheEncoding(String name, double[] values, Encoding want) {
        Varints.Out out = new Varints.Out(16);
        Encoding got = ValueCodec.encode(values, 0, values.length, out, new long[values.length]);
        assertEquals(want, got, "encoding for " + name);
        double[] back = new double[values.length];
        // An exact-length copy: the last bytes of an array take the decoders' careful paths.
        byte[] bytes = Arrays.copyOf(out.array(), out.length());
        ValueCodec.decode(new Varints.In(bytes, 0, bytes.length), values.length, back, 0);
        for (int i = 0; i < values.length; i++) {
            assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(back[i]), name + " value " + i);
        }
    }

    /** Runs of every shape the encoders choose between, each checked bit for bit whatever form is picked. */
    @org.junit.jupiter.api.Test
    void randomRunsRoundTripInWhicheverFormIsPicked() {
        Random r = new Random(17);
        java.util.EnumSet<Encoding> seen = java.util.EnumSet.noneOf(Encoding.class);
        for (int trial = 0; trial < 3000; trial++) {
            int n = 1 + r.nextInt(r.nextBoolean() ? 10 : 700);
            double[] v = new double[n];
            long m = r.nextInt(3) == 0 ? (1L << 52) - r.nextInt(1 << 20) : r.nextInt(1000) - 500;
            long step = 1 + r.nextInt(4096);
            int zeroOdds = 1 + r.nextInt(40);
            int scale = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                if (r.nextInt(zeroOdds) == 0) {
                    m += step * (r.nextInt(2001) - (r.nextBoolean() ? 1000 : 0));
                }
                v[i] = scale == 0 ? (double) m : m / Math.pow(10, scale);
            }
            Varints.Out out = new Varints.Out(16);
            seen.add(ValueCodec.encode(v, 0, n, out, new long[n]));
            byte[] bytes = Arrays.copyOf(out.array(), out.length());
            double[] back = new double[n];
            ValueCodec.decode(new Varints.In(bytes, 0, bytes.length), n, back, 0);
            for (int i = 0; i < n; i++) {
                assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(back[i]), "trial " + trial + " value " + i);
            }
        }
        for (Encoding e : new Encoding[] {Encoding.INT_SPARSE, Encoding.SCALED_SPARSE, Encoding.INT_PACKED, Encoding.INT_DELTA}) {
            org.junit.jupiter.api.Assertions.assertTrue(seen.contains(e), e + " never picked: " + seen);
        }
    }

    @org.junit.jupiter.api.Test
    void aTruncatedSparseColumnIsCorruptNotACrash() {
        double[] v = new double[500];
        for (int i = 1; i < v.length; i++) {
            v[i] = v[i - 1] + (i % 30 == 0 ? 1000 + i : 0);
        }
        Varints.Out out = new Varints.Out(16);
        assertEquals(Encoding.INT_SPARSE, ValueCodec.encode(v, 0, v.length, out, new long[v.length]));
        for (int cut : new int[] {1, 5, 9, 40}) {
            byte[] bytes = Arrays.copyOf(out.array(), out.length() - cut);
            org.junit.jupiter.api.Assertions.assertThrows(CorruptBlockException.class,
                    () -> ValueCodec.decode(new Varints.In(bytes, 0, bytes.length), v.length, new double[v.length], 0));
        }
    }

    @org.junit.jupiter.api.Test
    void aTruncatedPackedColumnIsCorruptNotACrash() {
        Random r = new Random(5);
        double[] pages = new double[300];
        double m = 1 << 30;
        for (int i = 0; i < pages.length; i++) {
            m += (r.nextInt(200) - 100) * 4096;
            pages[i] = m;
        }
        Varints.Out out = new Varints.Out(16);
        assertEquals(Encoding.INT_PACKED, ValueCodec.encode(pages, 0, pages.length, out, new long[pages.length]));
        for (int cut : new int[] {1, 5, 40}) {
            byte[] bytes = Arrays.copyOf(out.array(), out.length() - cut);
            org.junit.jupiter.api.Assertions.assertThrows(CorruptBlockException.class,
                    () -> ValueCodec.decode(new Varints.In(bytes, 0, bytes.length), pages.length, new double[pages.length], 0));
        }
    }
}
