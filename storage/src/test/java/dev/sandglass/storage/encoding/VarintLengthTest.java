package dev.sandglass.storage.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The size estimate that picks a value column's encoding counts exactly the bytes svarint writes. */
class VarintLengthTest {
    private static void check(long v) {
        Varints.Out out = new Varints.Out(16);
        out.svarint(v);
        assertEquals(out.length(), IntColumnEncoder.len(v), "v = " + v);
    }

    @Test
    void lengthIsTheWrittenLength() {
        for (int k = 0; k < 64; k++) {
            for (long v : new long[] {1L << k, (1L << k) - 1, (1L << k) + 1, -(1L << k), -(1L << k) - 1, -(1L << k) + 1}) {
                check(v);
            }
        }
        check(0);
        check(Long.MAX_VALUE);
        check(Long.MIN_VALUE);
        Random rnd = new Random(23);
        for (int i = 0; i < 100_000; i++) {
            check(rnd.nextLong() >> rnd.nextInt(64));
        }
    }
}
