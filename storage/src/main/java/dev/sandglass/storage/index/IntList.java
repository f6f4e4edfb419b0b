package dev.sandglass.storage.index;

import java.util.Arrays;

/**
 * A postings list: refs as zigzag varint deltas in one byte array (refs arrive ascending, so most
 * deltas take a byte), about a quarter of an {@code int[]}; no boxing, no size kept in a second map.
 */
final class IntList {
    private byte[] data = new byte[4];
    private int used;
    private int size;
    private int last;

    void add(int v) {
        if (used + 5 > data.length) {
            data = Arrays.copyOf(data, Math.max(used + 5, used + (used >> 1)));
        }
        int d = v - last;
        int z = (d << 1) ^ (d >> 31);
        while ((z & ~0x7F) != 0) {
            data[used++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        data[used++] = (byte) z;
        last = v;
        size++;
    }

    int size() {
        return size;
    }

    /** The elements, in the order added. */
    int[] toArray() {
        int[] out = new int[size];
        copyTo(out, 0);
        return out;
    }

    /** Copies the elements into {@code out} at {@code at}. */
    void copyTo(int[] out, int at) {
        int p = 0;
        int v = 0;
        for (int i = 0; i < size; i++) {
            int z = 0;
            for (int shift = 0;; shift += 7) {
                byte b = data[p++];
                z |= (b & 0x7F) << shift;
                if (b >= 0) {
                    break;
                }
            }
            v += (z >>> 1) ^ -(z & 1);
            out[at + i] = v;
        }
    }
}
