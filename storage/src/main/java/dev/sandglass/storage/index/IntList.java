package dev.sandglass.storage.index;

import java.util.Arrays;

/** A growable list of ints (a postings list): no boxing, no size kept in a second map. */
final class IntList {
    private int[] a = new int[2];
    private int size;

    void add(int v) {
        if (size == a.length) {
            a = Arrays.copyOf(a, size + (size >> 1) + 2);
        }
        a[size++] = v;
    }

    int size() {
        return size;
    }

    int get(int i) {
        return a[i];
    }

    /** A copy of the elements. */
    int[] toArray() {
        return Arrays.copyOf(a, size);
    }

    /** Copies the elements into {@code out} at {@code at}. */
    void copyTo(int[] out, int at) {
        System.arraycopy(a, 0, out, at, size);
    }
}
