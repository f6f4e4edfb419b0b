package dev.sandglass.storage.index;

import java.util.Arrays;

/**
 * Label names and values interned to dense ids: each distinct string is held once, however many
 * series carry it (a fleet of a million series has a few thousand distinct names and values when
 * runs come and go). Open addressing over an {@code int[]}, so an entry costs a slot, not a map
 * node and a boxed id. Not thread-safe: SeriesIndex guards it.
 */
final class Symbols {
    private String[] byId = new String[256];
    private int size;
    /** id + 1 per slot; 0 is empty. A power of two, at most 3/4 full. */
    private int[] slots = new int[512];

    /** The id of {@code s}, adding it when new. */
    int intern(String s) {
        int mask = slots.length - 1;
        for (int i = spread(s.hashCode()) & mask;; i = (i + 1) & mask) {
            int id = slots[i] - 1;
            if (id < 0) {
                if (size == byId.length) {
                    byId = Arrays.copyOf(byId, size * 2);
                }
                byId[size] = s;
                slots[i] = size + 1;
                size++;
                if (size * 4L > slots.length * 3L) {
                    rehash();
                }
                return size - 1;
            }
            if (byId[id].equals(s)) {
                return id;
            }
        }
    }

    /** The id of {@code s}, or -1 when no series carries it. */
    int find(String s) {
        int mask = slots.length - 1;
        for (int i = spread(s.hashCode()) & mask;; i = (i + 1) & mask) {
            int id = slots[i] - 1;
            if (id < 0) {
                return -1;
            }
            if (byId[id].equals(s)) {
                return id;
            }
        }
    }

    String get(int id) {
        return byId[id];
    }

    int size() {
        return size;
    }

    private void rehash() {
        int[] bigger = new int[slots.length * 2];
        int mask = bigger.length - 1;
        for (int id = 0; id < size; id++) {
            int i = spread(byId[id].hashCode()) & mask;
            while (bigger[i] != 0) {
                i = (i + 1) & mask;
            }
            bigger[i] = id + 1;
        }
        slots = bigger;
    }

    static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
