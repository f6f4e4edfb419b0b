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
        return new Slice(b, 0, b.length);
    }

    /** The body as sent (remote write's snappy is the protocol's own, whatever Content-Encoding says). */
    public static byte[] raw(RoutingContext ctx, long max) {
        byte[] raw = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        if (raw.length > max) {
            throw new TooLarge("request body of " + raw.length + " bytes is over the limit of " + max);
        }
        return raw;
    }

    /** Bytes {@code array[from, to)} of a request body, not copied. */
    public record Slice(byte[] array, int from, int to) {
        public int length() {
            return to - from;
        }
    }

    /** As {@link #raw}, without copying the body when Vert.x holds it in one heap array. */
    public static Slice rawSlice(RoutingContext ctx, long max) {
        io.vertx.core.buffer.Buffer buffer = ctx.body().buffer();
        if (buffer != null) {
            io.netty.buffer.ByteBuf bb = buffer.getByteBuf();
            if (bb.hasArray()) {
                if (bb.readableBytes() > max) {
                    throw new TooLarge("request body of " + bb.readableBytes() + " bytes is over the limit of " + max);
                }
                int from = bb.arrayOffset() + bb.readerIndex();
                return new Slice(bb.array(), from, from + bb.readableBytes());
            }
        }
        byte[] raw = raw(ctx, max);
        return new Slice(raw, 0, raw.length);
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
