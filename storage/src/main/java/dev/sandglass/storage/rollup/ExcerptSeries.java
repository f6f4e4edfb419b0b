package dev.sandglass.storage.rollup;

/**
 * What a reader keeps in memory of each series of a rollup excerpt, by position (in step with the
 * header's refs): its windows and where its bytes are in the body. The store keeps this for every
 * excerpt it holds, one entry per series per excerpt and resolution: four {@code int}s each (16
 * bytes) came to 32 MB at a million series. The writer lays series out back to back, so each
 * series' length is the next one's offset minus its own and only the offsets are kept (4 bytes),
 * and window counts fit a byte when all do (1 byte): 5 bytes an entry. When every length is
 * under 256 too (churn: a series of one or a few windows), lengths are kept in a byte and offsets
 * only every {@link #STRIDE}th series, an offset being its checkpoint plus the lengths before it:
 * about 2.3 bytes an entry, which at a million series of one sample is 6 MB less heap. Excerpts laid
 * out otherwise keep every length. Immutable.
 */
final class ExcerptSeries {
    private static final int STRIDE_BITS = 4;
    static final int STRIDE = 1 << STRIDE_BITS;
    private final int size;
    /** Offsets of each series' bytes in the body, and the end of the last (n + 1 entries); null with short lengths. */
    private final int[] offset;
    /** With short lengths: the offset of every STRIDEth series, and each series' length (unsigned). */
    private final int[] checkpoints;
    private final byte[] shortLength;
    /** Lengths, when the series are not back to back; else null. */
    private final int[] length;
    /** Window counts, when all are under 256 (unsigned); else null. */
    private final byte[] smallWindows;
    private final int[] windows;

    ExcerptSeries(int[] windows, int[] offset, int[] length) {
        int n = windows.length;
        size = n;
        boolean backToBack = true;
        boolean small = true;
        boolean shortLengths = true;
        for (int i = 0; i < n; i++) {
            backToBack &= i == 0 || offset[i] == offset[i - 1] + length[i - 1];
            small &= windows[i] >= 0 && windows[i] < 256;
            shortLengths &= length[i] >= 0 && length[i] < 256;
        }
        if (backToBack && shortLengths) {
            this.offset = null;
            this.length = null;
            checkpoints = new int[(n + STRIDE - 1) >>> STRIDE_BITS];
            shortLength = new byte[n];
            for (int i = 0; i < n; i++) {
                if ((i & (STRIDE - 1)) == 0) {
                    checkpoints[i >>> STRIDE_BITS] = offset[i];
                }
                shortLength[i] = (byte) length[i];
            }
        } else {
            checkpoints = null;
            shortLength = null;
            this.offset = java.util.Arrays.copyOf(offset, n + 1);
            if (n > 0) {
                this.offset[n] = offset[n - 1] + length[n - 1];
            }
            this.length = backToBack ? null : length.clone();
        }
        if (small) {
            smallWindows = new byte[n];
            for (int i = 0; i < n; i++) {
                smallWindows[i] = (byte) windows[i];
            }
            this.windows = null;
        } else {
            smallWindows = null;
            this.windows = windows.clone();
        }
    }

    int size() {
        return size;
    }

    int windows(int i) {
        return smallWindows != null ? smallWindows[i] & 0xFF : windows[i];
    }

    int offset(int i) {
        if (offset != null) {
            return offset[i];
        }
        int o = checkpoints[i >>> STRIDE_BITS];
        for (int k = i & ~(STRIDE - 1); k < i; k++) {
            o += shortLength[k] & 0xFF;
        }
        return o;
    }

    int length(int i) {
        if (shortLength != null) {
            return shortLength[i] & 0xFF;
        }
        return length != null ? length[i] : offset[i + 1] - offset[i];
    }
}
