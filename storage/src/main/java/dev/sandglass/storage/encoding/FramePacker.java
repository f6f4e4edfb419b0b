package dev.sandglass.storage.encoding;

import static dev.sandglass.storage.encoding.ValueCodec.FRAME;
import static dev.sandglass.storage.encoding.ValueCodec.SPARSE_FRAME;

/**
 * Writes integer terms bit-packed (INT_PACKED and its kin) or sparse (INT_SPARSE), and counts
 * the bytes either form takes so that {@link IntColumnEncoder} can pick the smaller. The reading
 * side is {@link FrameUnpacker}; the layout is in storage/FORMAT.md.
 */
final class FramePacker {
    private FramePacker() {
    }

    /** Bytes {@link #pack} writes for {@code t[0..count)}. */
    static long packedSize(long[] t, int count) {
        long size = 0;
        for (int f = 0; f < count; f += FRAME) {
            int end = Math.min(count, f + FRAME);
            size += 1 + ((long) (end - f) * frameBits(t, f, end) + 7) / 8;
        }
        return size;
    }

    /** Bit width of the zigzagged terms {@code t[from..to)}. */
    private static int frameBits(long[] t, int from, int to) {
        long or = 0;
        for (int i = from; i < to; i++) {
            or |= Varints.zigzag(t[i]);
        }
        return 64 - Long.numberOfLeadingZeros(or);
    }

    /** Writes {@code t[0..count)} zigzagged in frames of {@link ValueCodec#FRAME}: a width byte, then the bits. */
    static void pack(long[] t, int count, Varints.Out out) {
        for (int f = 0; f < count; f += FRAME) {
            packFrame(t, f, Math.min(count, f + FRAME), out);
        }
    }

    /** One frame: the width byte of {@code t[from..to)} zigzagged, then each in that many bits. */
    private static void packFrame(long[] t, int from, int to, Varints.Out out) {
        int bits = frameBits(t, from, to);
        out.byte1(bits);
        long acc = 0;
        int used = 0;
        for (int i = from; i < to; i++) {
            long z = Varints.zigzag(t[i]);
            acc |= z << used;
            if (used + bits >= 64) {
                out.long8(acc);
                int taken = 64 - used;
                acc = taken == 64 ? 0 : z >>> taken;
                used = used + bits - 64;
            } else {
                used += bits;
            }
        }
        for (int k = 0; k < used; k += 8) {
            out.byte1((int) (acc >>> k));
        }
    }

    /** Bytes {@link #packSparse} writes for {@code t[0..count)}. */
    static long sparseSize(long[] t, int count) {
        long size = 0;
        for (int f = 0; f < count; f += SPARSE_FRAME) {
            int end = Math.min(count, f + SPARSE_FRAME);
            long or = 0;
            int nonZero = 0;
            for (int i = f; i < end; i++) {
                or |= Varints.zigzag(t[i]);
                nonZero += t[i] != 0 ? 1 : 0;
            }
            int bits = 64 - Long.numberOfLeadingZeros(or);
            size += 8 + (nonZero == 0 ? 0 : 1 + ((long) nonZero * bits + 7) / 8);
        }
        return size;
    }

    /**
     * Writes {@code t[0..count)} in frames of {@link ValueCodec#SPARSE_FRAME}: a bitmap (bit k set when
     * term k is not zero), then, unless it is empty, the non-zero terms as one packed frame.
     * {@code scratch} holds at least count terms.
     */
    static void packSparse(long[] t, int count, Varints.Out out, long[] scratch) {
        for (int f = 0; f < count; f += SPARSE_FRAME) {
            int end = Math.min(count, f + SPARSE_FRAME);
            long bitmap = 0;
            int nonZero = 0;
            for (int i = f; i < end; i++) {
                if (t[i] != 0) {
                    bitmap |= 1L << (i - f);
                    scratch[nonZero++] = t[i];
                }
            }
            out.long8(bitmap);
            if (nonZero > 0) {
                packFrame(scratch, 0, nonZero, out);
            }
        }
    }
}
