package dev.sandglass.storage.encoding;

/** Unsigned LEB128 varints and zigzag over a growable byte buffer and a read cursor. */
public final class Varints {
    private Varints() {
    }

    public static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    public static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /** A growable output buffer. */
    public static final class Out {
        byte[] buf;
        int len;

        public Out(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        private void ensure(int n) {
            if (len + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        public void uvarint(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
        }

        public void svarint(long v) {
            uvarint(zigzag(v));
        }

        public void byte1(int b) {
            ensure(1);
            buf[len++] = (byte) b;
        }

        public void long8(long v) {
            ensure(8);
            for (int i = 0; i < 8; i++) {
                buf[len++] = (byte) (v >>> (8 * i));
            }
        }

        public void bytes(byte[] b, int off, int n) {
            ensure(n);
            System.arraycopy(b, off, buf, len, n);
            len += n;
        }

        public int length() {
            return len;
        }

        public byte[] array() {
            return buf;
        }

        public void reset() {
            len = 0;
        }
    }

    /** A read cursor over bytes; throws CorruptBlockException past the end. */
    public static final class In {
        final byte[] buf;
        int pos;
        final int end;

        public In(byte[] buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        public long uvarint() {
            // Fast path: one-byte varints (small deltas) are the common case.
            if (pos < end) {
                byte b0 = buf[pos];
                if (b0 >= 0) {
                    pos++;
                    return b0;
                }
            }
            long v = 0;
            int shift = 0;
            while (true) {
                if (pos >= end) {
                    throw new CorruptBlockException("varint runs past the end of its column at byte " + pos);
                }
                byte b = buf[pos++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
                shift += 7;
                if (shift > 63) {
                    throw new CorruptBlockException("varint longer than 10 bytes at byte " + pos);
                }
            }
        }

        public long svarint() {
            return unzigzag(uvarint());
        }

        public int byte1() {
            if (pos >= end) {
                throw new CorruptBlockException("column ends early at byte " + pos);
            }
            return buf[pos++] & 0xFF;
        }

        public long long8() {
            if (pos + 8 > end) {
                throw new CorruptBlockException("column ends early at byte " + pos);
            }
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v |= (buf[pos++] & 0xFFL) << (8 * i);
            }
            return v;
        }

        public int position() {
            return pos;
        }
    }
}
