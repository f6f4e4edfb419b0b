package dev.sandglass.ingest.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over protobuf wire bytes in place ({@code b[pos, end)}), for the hot ingestion paths
 * that read messages without building message objects. Every read is bounds-checked; a malformed
 * body throws {@link Malformed}, never an index exception.
 */
public class WireReader {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Bytes that are not the message they should be. */
    public static final class Malformed extends RuntimeException {
        public Malformed(String message) {
            super(message);
        }
    }

    protected final byte[] b;
    protected final int end;
    protected int pos;

    public WireReader(byte[] b, int from, int to) {
        this.b = b;
        this.pos = from;
        this.end = to;
    }

    public static int tag(int field, int wireType) {
        return (field << 3) | wireType;
    }

    /** A length prefix, checked to end within {@code limit}. */
    protected final int length(int limit) {
        int len = varint32();
        if (len < 0 || len > limit - pos) {
            throw new Malformed("field of " + (len & 0xffffffffL) + " bytes past the end of its message at byte " + pos);
        }
        return len;
    }

    /** Skips the value of a field whose tag was just read; it must end within {@code limit}. */
    protected final void skip(int tag, int limit) {
        switch (tag & 7) {
            case 0 -> varint64();
            case 1 -> pos += 8;
            case 2 -> {
                int len = length(limit); // before pos is read: "pos += length()" would add to the old pos
                pos += len;
            }
            case 5 -> pos += 4;
            default -> throw new Malformed("unexpected wire type " + (tag & 7) + " at byte " + pos);
        }
        if (pos > limit) {
            throw new Malformed("truncated field at byte " + limit);
        }
        if (tag >>> 3 == 0) {
            throw new Malformed("field number 0 at byte " + pos);
        }
    }

    protected final int varint32() {
        return (int) varint64();
    }

    protected final long varint64() {
        long x = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) {
                throw new Malformed("truncated varint at byte " + pos);
            }
            byte c = b[pos++];
            x |= (long) (c & 0x7f) << shift;
            if (c >= 0) {
                return x;
            }
        }
        throw new Malformed("malformed varint at byte " + pos);
    }

    /** Eight little-endian bytes (fixed64, double) ending within {@code limit}. */
    protected final long fixed64(int limit) {
        if (pos + 8 > limit) {
            throw new Malformed("truncated fixed64 at byte " + pos);
        }
        long v = (long) LONG_LE.get(b, pos);
        pos += 8;
        return v;
    }

    /** A proto3 string of {@code len} bytes at {@code off}: valid UTF-8 or an error, as protobuf-java's readStringRequireUtf8. */
    protected final String utf8(int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] < 0) {
                try {
                    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len)).toString();
                } catch (CharacterCodingException e) {
                    throw new Malformed("Protocol message had invalid UTF-8 (string at byte " + off + ")");
                }
            }
        }
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
}
