package dev.sandglass.storage.encoding;

import static dev.sandglass.storage.encoding.ValueCodec.FRAME;
import static dev.sandglass.storage.encoding.ValueCodec.SPARSE_FRAME;

/**
 * Reads the bit-packed and sparse value columns {@link FramePacker} writes, the decode loop of a
 * query: static methods on primitive arrays with per-thread scratch, no allocation per column.
 */
final class FrameUnpacker {
    private FrameUnpacker() {
    }

    /**
     * Per-thread terms of one frame and the sparse form's sums, for the decoders: a query decodes
     * a column per series per block, and these were two or three small arrays each time.
     */
    private static final ThreadLocal<long[][]> SCRATCH =
            ThreadLocal.withInitial(() -> new long[][] {new long[Math.max(FRAME, SPARSE_FRAME + 1)], new long[SPARSE_FRAME]});

    private static final java.lang.invoke.VarHandle LONG_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * Decodes bit-packed deltas (INT_PACKED) or delta-of-deltas ({@code dod}, with the first
     * delta {@code d}), as decimals when {@code scale} is not 0, after the first value {@code m};
     * returns the position after the column. Each frame's terms are unpacked first (one 8-byte
     * load, a shift and a mask each: no branch that depends on the data, unlike varints of mixed
     * lengths), then summed in a second tight loop.
     */
    static int unpack(byte[] b, int p, int end, int n, long m, boolean dod, long d, long g, double scale,
            double[] dst, int off) {
        dst[off] = scale == 0 ? (double) m : m / scale;
        int i = 1;
        if (dod && n > 1) {
            m += d;
            dst[off + 1] = scale == 0 ? (double) m : m / scale;
            i = 2;
        }
        long[] z = SCRATCH.get()[0];
        while (i < n) {
            int cnt = Math.min(FRAME, n - i);
            p = readFrame(b, p, end, cnt, z);
            int o = off + i;
            if (dod) {
                for (int k = 0; k < cnt; k++) {
                    d += ((z[k] >>> 1) ^ -(z[k] & 1)) * g;
                    m += d;
                    dst[o + k] = scale == 0 ? (double) m : m / scale;
                }
            } else {
                for (int k = 0; k < cnt; k++) {
                    m += ((z[k] >>> 1) ^ -(z[k] & 1)) * g;
                    dst[o + k] = scale == 0 ? (double) m : m / scale;
                }
            }
            i += cnt;
        }
        return p;
    }

    /**
     * Decodes sparse deltas (INT_SPARSE) after the first value {@code m}; returns the position
     * after the column. Per frame, the non-zero terms are unpacked first. A frame with few of
     * them fills the runs of equal values between them; one with many spreads them over the
     * frame without a branch per value (a term is added masked by its bit, and the read
     * position moves on by the bit).
     */
    static int unpackSparse(byte[] b, int p, int end, int n, long m, long g, double scale, double[] dst, int off) {
        dst[off] = scale == 0 ? (double) m : m / scale;
        long[][] scratch = SCRATCH.get();
        long[] z = scratch[0];
        long[] sums = scratch[1];
        int i = 1;
        while (i < n) {
            int cnt = Math.min(SPARSE_FRAME, n - i);
            if (p + 8 > end) {
                throw new CorruptBlockException("sparse bitmap runs past its column (" + (p + 8) + " > " + end + ")");
            }
            long bitmap = (long) LONG_LE.get(b, p);
            p += 8;
            if (cnt < SPARSE_FRAME && bitmap >>> cnt != 0) {
                throw new CorruptBlockException("sparse bitmap marks values past the column's " + n);
            }
            int nonZero = Long.bitCount(bitmap);
            int o = off + i;
            if (nonZero > 0) {
                p = readFrame(b, p, end, nonZero, z);
            }
            if (nonZero <= SPARSE_FRAME / 4) {
                // No or few changes: fill the runs between them.
                double cur = scale == 0 ? (double) m : m / scale;
                int from = 0;
                int j = 0;
                for (long bm = bitmap; bm != 0; bm &= bm - 1) {
                    int k = Long.numberOfTrailingZeros(bm);
                    for (int x = from; x < k; x++) {
                        dst[o + x] = cur;
                    }
                    long t = z[j++];
                    m += ((t >>> 1) ^ -(t & 1)) * g;
                    cur = scale == 0 ? (double) m : m / scale;
                    from = k;
                }
                for (int x = from; x < cnt; x++) {
                    dst[o + x] = cur;
                }
            } else {
                // Many: spread them by the bitmap without a branch per value.
                z[nonZero] = 0;
                int j = 0;
                for (int k = 0; k < cnt; k++) {
                    long bit = (bitmap >>> k) & 1;
                    long t = z[j];
                    m += (((t >>> 1) ^ -(t & 1)) * g) & -bit;
                    j += (int) bit;
                    sums[k] = m;
                }
                if (scale == 0) {
                    for (int k = 0; k < cnt; k++) {
                        dst[o + k] = (double) sums[k];
                    }
                } else {
                    for (int k = 0; k < cnt; k++) {
                        dst[o + k] = sums[k] / scale;
                    }
                }
            }
            i += cnt;
        }
        return p;
    }

    /** Reads one packed frame of {@code cnt} terms at {@code p} (width byte, bits) into z; returns the position after it. */
    private static int readFrame(byte[] b, int p, int end, int cnt, long[] z) {
        int bits = b[p++] & 0xFF;
        if (bits > 64) {
            throw new CorruptBlockException("bit width " + bits + " out of range");
        }
        int bytes = (cnt * bits + 7) >>> 3;
        if (p + bytes > end) {
            throw new CorruptBlockException("packed frame runs past its column (" + (p + bytes) + " > " + end + ")");
        }
        unpackFrame(b, p, bits, cnt, bits <= 56 && p + bytes + 8 <= b.length, z);
        return p + bytes;
    }

    /** Reads {@code cnt} terms of {@code bits} bits from byte {@code p}; {@code fast}: 8 bytes readable past each. */
    private static void unpackFrame(byte[] b, int p, int bits, int cnt, boolean fast, long[] z) {
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        long bp = (long) p << 3;
        if (fast) {
            for (int k = 0; k < cnt; k++, bp += bits) {
                z[k] = ((long) LONG_LE.get(b, (int) (bp >>> 3)) >>> (bp & 7)) & mask;
            }
            return;
        }
        for (int k = 0; k < cnt; k++, bp += bits) {
            long v = 0;
            for (int got = 0; got < bits; ) {
                long at = bp + got;
                int sh = (int) (at & 7);
                int take = Math.min(8 - sh, bits - got);
                v |= (((b[(int) (at >>> 3)] & 0xFFL) >>> sh) & ((1L << take) - 1)) << got;
                got += take;
            }
            z[k] = v;
        }
    }
}
