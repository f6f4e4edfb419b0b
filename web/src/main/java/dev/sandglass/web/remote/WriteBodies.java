package dev.sandglass.web.remote;

import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Request bodies of the write endpoints: size limits before and after decompression. */
public final class WriteBodies {
    private WriteBodies() {
    }

    /** A body over its limit (413). */
    public static final class TooLarge extends RuntimeException {
        public TooLarge(String message) {
            super(message);
        }
    }

    /** A body that cannot be read as it says it is encoded (400). */
    public static final class BadBody extends RuntimeException {
        public BadBody(String message) {
            super(message);
        }
    }

    /**
     * The body, gunzipped when Content-Encoding says gzip, at most {@code max} bytes either way.
     * Other encodings except identity are refused.
     */
    public static byte[] read(RoutingContext ctx, long max) {
        byte[] raw = raw(ctx, max);
        String enc = ctx.request().getHeader("Content-Encoding");
        if (enc == null || enc.isBlank() || enc.equalsIgnoreCase("identity")) {
            return raw;
        }
        if (!enc.equalsIgnoreCase("gzip")) {
            throw new BadBody("unsupported Content-Encoding \"" + enc + "\" (gzip or none)");
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length * 4));
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > max) {
                    throw new TooLarge("gzip body expands past the limit of " + max + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new BadBody("cannot gunzip request body of " + raw.length + " bytes: " + e.getMessage());
        }
    }

    /** As {@link #read}, without copying a body sent without Content-Encoding. */
    public static Slice slice(RoutingContext ctx, long max) {
        String enc = ctx.request().getHeader("Content-Encoding");
        if (enc == null || enc.isBlank() || enc.equalsIgnoreCase("identity")) {
            return rawSlice(ctx, max);
        }
        byte[] b = read(ctx, max);
        return new Slice(b, 0, b.length, false);
    }

    /**
     * As {@link #slice}, gunzipping into an array taken from {@code buffers} (the Slice says so:
     * give it back when done). A gzipped OTLP export of a fleet is ~60 KB that expands to ~550 KB:
     * read with GZIPInputStream's 512-byte input buffer into a growing stream and copied out, it
     * cost more than decoding the export; here the trailer's size sets the array, read in large steps.
     */
    public static Slice slice(RoutingContext ctx, long max, BodyBuffers buffers) {
        String enc = ctx.request().getHeader("Content-Encoding");
        if (enc == null || enc.isBlank() || enc.equalsIgnoreCase("identity")) {
            return rawSlice(ctx, max);
        }
        if (!enc.equalsIgnoreCase("gzip")) {
            throw new BadBody("unsupported Content-Encoding \"" + enc + "\" (gzip or none)");
        }
        return gunzip(rawSlice(ctx, max), max, buffers);
    }

    static Slice gunzip(Slice raw, long max, BodyBuffers buffers) {
        int len = raw.length();
        // ISIZE, the last four bytes: the uncompressed size mod 2^32 (a hint, never trusted past max).
        long hint = len >= 18 ? Integer.toUnsignedLong(raw.array()[raw.to() - 4] & 0xff | (raw.array()[raw.to() - 3] & 0xff) << 8
                | (raw.array()[raw.to() - 2] & 0xff) << 16 | (raw.array()[raw.to() - 1] & 0xff) << 24) : 0;
        byte[] out = buffers.take((int) Math.min(Math.min(max, Integer.MAX_VALUE - 16), Math.max(hint + 1, 64 << 10)));
        int n = 0;
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw.array(), raw.from(), len), 64 << 10)) {
            for (int r; (r = in.read(out, n, out.length - n)) >= 0;) {
                n += r;
                if (n > max) {
                    throw new TooLarge("gzip body expands past the limit of " + max + " bytes");
                }
                if (n == out.length) {
                    // n <= max here, so there is room for one byte past the limit, to find a body over it.
                    byte[] bigger = java.util.Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 16, Math.min(2L * n, max + 1)));
                    buffers.give(out);
                    out = bigger;
                }
            }
            return new Slice(out, 0, n, true);
        } catch (IOException e) {
            buffers.give(out);
            throw new BadBody("cannot gunzip request body of " + len + " bytes: " + e.getMessage());
        } catch (RuntimeException e) {
            buffers.give(out);
            throw e;
        }
    }

    /** The body as sent (remote write's snappy is the protocol's own, whatever Content-Encoding says). */
    public static byte[] raw(RoutingContext ctx, long max) {
        byte[] raw = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        if (raw.length > max) {
            throw new TooLarge("request body of " + raw.length + " bytes is over the limit of " + max);
        }
        return raw;
    }

    /** Bytes {@code array[from, to)} of a request body; {@code pooled}: the array is a BodyBuffers one, to be given back. */
    public record Slice(byte[] array, int from, int to, boolean pooled) {
        public int length() {
            return to - from;
        }
    }

    /** As {@link #raw}, without copying the body when Vert.x holds it in one heap array. */
    public static Slice rawSlice(RoutingContext ctx, long max) {
        Slice pooled = PooledBody.slice(ctx);
        if (pooled != null) {
            return pooled; // PooledBody kept it within max
        }
        io.vertx.core.buffer.Buffer buffer = ctx.body().buffer();
        if (buffer != null) {
            io.netty.buffer.ByteBuf bb = buffer.getByteBuf();
            if (bb.hasArray()) {
                if (bb.readableBytes() > max) {
                    throw new TooLarge("request body of " + bb.readableBytes() + " bytes is over the limit of " + max);
                }
                int from = bb.arrayOffset() + bb.readerIndex();
                return new Slice(bb.array(), from, from + bb.readableBytes(), false);
            }
        }
        byte[] raw = raw(ctx, max);
        return new Slice(raw, 0, raw.length, false);
    }

    /** The media type of a Content-Type header, lower case, without parameters ("" when absent). */
    public static String mediaType(RoutingContext ctx) {
        String ct = ctx.request().getHeader("Content-Type");
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
    }
}
