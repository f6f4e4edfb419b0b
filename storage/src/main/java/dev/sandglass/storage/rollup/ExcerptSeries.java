package dev.sandglass.storage.rollup;

/**
 * What a reader keeps in memory of each series of a rollup excerpt, by position (in step with the
 * header's refs): its windows and where its bytes are in the body. The store keeps this for every
 * excerpt it holds, one entry per series per excerpt and resolution: four {@code int}s each (16
 * bytes) came to 32 MB at a million series. The writer lays series out back to back, so each
 * series' length is the next one's offset minus its own and only the offsets are kept (4 bytes),
 * and window counts fit a byte when all do (1 byte): 5 bytes an entry. Excerpts laid out
 * otherwise keep every length. Immutable.
 */
final class ExcerptSeries {
    /** Offsets of each series' bytes in the body, and the end of the last (n + 1 entries). */
    private final int[] offset;
    /** Lengths, when the series are not back to back; else null. */
    private final int[] length;
    /** Window counts, when all are under 256 (unsigned); else null. */
    private final byte[] smallWindows;
    private final int[] windows;

    ExcerptSeries(int[] windows, int[] offset, int[] length) {
        int n = windows.length;
        boolean backToBack = true;
        boolean small = true;
        for (int i = 0; i < n; i++) {
            backToBack &= i == 0 || offset[i] == offset[i - 1] + length[i - 1];
            small &= windows[i] >= 0 && windows[i] < 256;
        }
        this.offset = java.util.Arrays.copyOf(offset, n + 1);
        if (n > 0) {
            this.offset[n] = offset[n - 1] + length[n - 1];
        }
        this.length = backToBack ? null : length.clone();
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
        return offset.length - 1;
    }

    int windows(int i) {
        return smallWindows != null ? smallWindows[i] & 0xFF : windows[i];
    }

    int offset(int i) {
        return offset[i];
    }

    int length(int i) {
        return length != null ? length[i] : offset[i + 1] - offset[i];
    }
}
