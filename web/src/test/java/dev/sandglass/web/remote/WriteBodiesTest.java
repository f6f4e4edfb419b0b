package dev.sandglass.web.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class WriteBodiesTest {
    private final BodyBuffers buffers = new BodyBuffers(2, 8 << 20);

    private static byte[] gzip(byte[]... members) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] m : members) {
            try (GZIPOutputStream z = new GZIPOutputStream(out) {
                @Override
                public void close() throws java.io.IOException {
                    finish(); // each member ends; the stream goes on
                }
            }) {
                z.write(m);
            }
        }
        return out.toByteArray();
    }

    private static byte[] data(int n, long seed) {
        byte[] b = new byte[n];
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + r.nextInt(4)); // compressible, like label text
        }
        return b;
    }

    private WriteBodies.Slice gunzip(byte[] z, long max) {
        return WriteBodies.gunzip(new WriteBodies.Slice(z, 0, z.length, false), max, buffers);
    }

    private static byte[] bytes(WriteBodies.Slice s) {
        return Arrays.copyOfRange(s.array(), s.from(), s.to());
    }

    @Test
    void aBodyIsGunzippedWholeIntoAPooledArray() throws Exception {
        byte[] d = data(556_080, 1);
        WriteBodies.Slice s = gunzip(gzip(d), 16 << 20);
        assertTrue(s.pooled());
        assertArrayEquals(d, bytes(s));
    }

    @Test
    void aTrailerThatUndersaysTheSizeOnlyCostsAGrowth() throws Exception {
        byte[] a = data(300_000, 2);
        byte[] b = data(200_000, 3);
        // Two members: the last trailer names only the second member's size.
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        assertArrayEquals(both, bytes(gunzip(gzip(a, b), 16 << 20)));
        byte[] z = gzip(data(200_000, 4));
        z[z.length - 4] = 1; // a lying trailer: 1 byte and whatever the high bytes say
        z[z.length - 3] = 0;
        z[z.length - 2] = 0;
        z[z.length - 1] = 0;
        assertThrows(WriteBodies.BadBody.class, () -> gunzip(z, 16 << 20), "the size check of the trailer still applies");
    }

    @Test
    void theLimitHoldsAfterGunzipToTheByte() throws Exception {
        byte[] d = data(100_000, 5);
        assertEquals(100_000, gunzip(gzip(d), 100_000).to());
        WriteBodies.TooLarge e = assertThrows(WriteBodies.TooLarge.class, () -> gunzip(gzip(d), 99_999));
        assertTrue(e.getMessage().contains("gzip body expands past the limit of 99999 bytes"), e.getMessage());
    }

    @Test
    void aBodyThatIsNotGzipIsABadBody() throws Exception {
        byte[] z = gzip(data(10_000, 6));
        z[20] ^= 0x55;
        WriteBodies.BadBody e = assertThrows(WriteBodies.BadBody.class, () -> gunzip(z, 1 << 20));
        assertTrue(e.getMessage().startsWith("cannot gunzip request body of " + z.length + " bytes"), e.getMessage());
        assertThrows(WriteBodies.BadBody.class, () -> gunzip(new byte[] {1, 2, 3}, 1 << 20));
    }
}
