package dev.sandglass.storage.rollup;

/**
 * What a reader keeps in memory of each series of a rollup excerpt, by position (in step with the
 * header's refs): its windows and where its bytes are in the body. The store keeps this for every
 * excerpt it holds, one entry per series per excerpt and resolution: four {@code int}s each (16
 * bytes) came to 32 MB at a million series. Window counts and lengths are bit-packed as their
 * difference from the excerpt's smallest ({@link Packed}): churn's series all have one window (no
 * bits at all) and lengths within a few bytes of each other (about 2 bits). The writer lays series
 * out back to back, so an offset is the offset of every {@link #STRIDE}th series (a checkpoint)
 * plus the lengths before it in its stride (at most 63 lengths added up per lookup, against the
 * decoding of the series' windows that follows it): under 3 bits an entry where a byte each for
 * windows and lengths and an int every 16 series took 2.25 bytes. At a million series of one
 * sample the two resolutions' entries went from 4.4 MB of heap to 0.6 (a heap dump of
 * bench/cardinality.sh's serve). Excerpts laid out otherwise keep every offset. Immutable.
 */
final class ExcerptSeries {
    private static final int STRIDE_BITS = 6;
    static final int STRIDE = 1 << STRIDE_BITS;
    private final int size;
    /** Back to back: the offset of every STRIDEth series; else null. */
    private final int[] checkpoints;
    /** Not back to back: every series' offset; else null. */
    private final int[] offset;
    private final Packed length;
    private final Packed windows;

    ExcerptSeries(int[] windows, int[] offset, int[] length) {
        int n = windows.length;
        size = n;
        boolean backToBack = true;
        for (int i = 1; i < n && backToBack; i++) {
            backToBack = offset[i] == offset[i - 1] + length[i - 1];
        }
        if (backToBack) {
            this.offset = null;
            checkpoints = new int[(n + STRIDE - 1) >>> STRIDE_BITS];
            for (int i = 0; i < n; i += STRIDE) {
                checkpoints[i >>> STRIDE_BITS] = offset[i];
            }
        } else {
            checkpoints = null;
            this.offset = offset.clone();
        }
        this.length = Packed.of(length);
        this.windows = Packed.of(windows);
    }

    int size() {
        return size;
    }

    int windows(int i) {
        return windows.get(i);
    }

    int offset(int i) {
        if (offset != null) {
            return offset[i];
        }
        int from = i & ~(STRIDE - 1);
        int o = checkpoints[i >>> STRIDE_BITS];
        for (int k = from; k < i; k++) {
            o += length.get(k);
        }
        return o;
    }

    int length(int i) {
        return length.get(i);
    }

    /** The heap its arrays take, in bytes (array headers left out). */
    long bytes() {
        return 4L * (checkpoints != null ? checkpoints.length : offset.length) + length.bytes() + windows.bytes();
    }

    /**
     * Ints stored as their difference from the smallest, in as many bits as the largest difference
     * needs (none when all are equal), back to back in longs.
     */
    static final class Packed {
        private final long base;
        private final int bits;
        private final long mask;
        private final long[] words;

        private Packed(long base, int bits, long[] words) {
            this.base = base;
            this.bits = bits;
            this.mask = (1L << bits) - 1;
            this.words = words;
        }

        static Packed of(int[] values) {
            int n = values.length;
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (n == 0 || min == max) {
                return new Packed(n == 0 ? 0 : min, 0, null);
            }
            int bits = 64 - Long.numberOfLeadingZeros(max - min); // at most 32
            long[] words = new long[(int) (((long) n * bits + 63) >>> 6)];
            for (int i = 0; i < n; i++) {
                long d = values[i] - min;
                long at = (long) i * bits;
                int w = (int) (at >>> 6);
                int s = (int) (at & 63);
                words[w] |= d << s;
                if (s + bits > 64) {
                    words[w + 1] |= d >>> (64 - s);
                }
            }
            return new Packed(min, bits, words);
        }

        int get(int i) {
            if (bits == 0) {
                return (int) base;
            }
            long at = (long) i * bits;
            int w = (int) (at >>> 6);
            int s = (int) (at & 63);
            long v = words[w] >>> s;
            if (s + bits > 64) {
                v |= words[w + 1] << (64 - s);
            }
            return (int) (base + (v & mask));
        }

        long bytes() {
            return words == null ? 0 : 8L * words.length;
        }
    }
}
