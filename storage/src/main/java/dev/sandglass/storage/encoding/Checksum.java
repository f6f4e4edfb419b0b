package dev.sandglass.storage.encoding;

import java.util.zip.CRC32C;

/** CRC32C (hardware-accelerated since Java 9) over stored bytes, and its 4-byte little-endian form. */
public final class Checksum {
    private Checksum() {
    }

    public static int crc32c(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    public static void putInt(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    public static int getInt(byte[] b, int at) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (b[at + i] & 0xFF) << (8 * i);
        }
        return v;
    }

    /** Whether the last 4 bytes of {@code b[0, len)} are the CRC32C of the bytes before them. */
    public static boolean trailerMatches(byte[] b, int len) {
        return len >= 4 && getInt(b, len - 4) == crc32c(b, 0, len - 4);
    }
}
