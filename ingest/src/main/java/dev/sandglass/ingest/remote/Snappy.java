package dev.sandglass.ingest.remote;

import java.io.IOException;

/** Snappy block format, as remote write and read use it, with a limit on what a body may expand to. */
public final class Snappy {
    private Snappy() {
    }

    /** @throws IllegalArgumentException when the body is not snappy or would expand past {@code maxBytes} */
    public static byte[] uncompress(byte[] body, long maxBytes) {
        try {
            int len = org.xerial.snappy.Snappy.uncompressedLength(body);
            if (len < 0 || len > maxBytes) {
                throw new TooLarge(len, maxBytes);
            }
            return org.xerial.snappy.Snappy.uncompress(body);
        } catch (IOException | RuntimeException e) {
            if (e instanceof TooLarge t) {
                throw t;
            }
            throw new IllegalArgumentException("cannot snappy-decode body of " + body.length + " bytes: " + e.getMessage(), e);
        }
    }

    /**
     * The length {@code body[off, off + len)} decompresses to.
     * @throws IllegalArgumentException when it is not snappy; TooLarge past {@code maxBytes}
     */
    public static int uncompressedLength(byte[] body, int off, int len, long maxBytes) {
        int n;
        try {
            n = org.xerial.snappy.Snappy.uncompressedLength(body, off, len);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot snappy-decode body of " + len + " bytes: " + e.getMessage(), e);
        }
        if (n < 0 || n > maxBytes) {
            throw new TooLarge(n, maxBytes);
        }
        return n;
    }

    /**
     * Decompresses {@code body[off, off + len)} to the start of {@code out}, which must hold
     * {@link #uncompressedLength}; returns the length written.
     * @throws IllegalArgumentException when it is not snappy
     */
    public static int uncompress(byte[] body, int off, int len, byte[] out) {
        try {
            return org.xerial.snappy.Snappy.uncompress(body, off, len, out, 0);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot snappy-decode body of " + len + " bytes: " + e.getMessage(), e);
        }
    }

    public static byte[] compress(byte[] raw) {
        try {
            return org.xerial.snappy.Snappy.compress(raw);
        } catch (IOException e) {
            throw new IllegalStateException("snappy compression failed: " + e.getMessage(), e);
        }
    }

    /** A body that would decompress past its limit. */
    public static final class TooLarge extends RuntimeException {
        public TooLarge(long len, long max) {
            super("body decompresses to " + len + " bytes, over the limit of " + max);
        }
    }
}
