package dev.sandglass.storage.rollup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExcerptSeriesTest {
    private static void assertEntries(int[] windows, int[] offset, int[] length) {
        ExcerptSeries s = new ExcerptSeries(windows, offset, length);
        assertEquals(windows.length, s.size());
        for (int i = 0; i < windows.length; i++) {
            assertEquals(windows[i], s.windows(i), "windows of " + i);
            assertEquals(offset[i], s.offset(i), "offset of " + i);
            assertEquals(length[i], s.length(i), "length of " + i);
        }
    }

    @Test
    void backToBackSeriesAnswerTheirLengthsFromTheOffsets() {
        assertEntries(new int[] {1, 3, 255}, new int[] {0, 10, 25}, new int[] {10, 15, 7});
    }

    @Test
    void manyShortBackToBackSeriesAnswerOffsetsFromCheckpointsAndLengths() {
        // Churn: thousands of one-window series, each under 256 bytes, across many strides.
        int n = 5 * ExcerptSeries.STRIDE + 3;
        int[] windows = new int[n];
        int[] offset = new int[n];
        int[] length = new int[n];
        for (int i = 0; i < n; i++) {
            windows[i] = 1 + i % 3;
            length[i] = 40 + (i * 37) % 216;
            offset[i] = i == 0 ? 7 : offset[i - 1] + length[i - 1];
        }
        assertEntries(windows, offset, length);
        length[n - 1] = 70_000; // one long series: more bits for every length
        assertEntries(windows, offset, length);
    }

    @Test
    void seriesWithGapsOrManyWindowsKeepWhatTheHeaderSaid() {
        assertEntries(new int[] {1, 256, 70_000}, new int[] {0, 10, 25}, new int[] {10, 12, 7}); // a gap after the second
        assertEntries(new int[] {2, 1}, new int[] {30, 0}, new int[] {5, 30}); // out of order
        assertEntries(new int[0], new int[0], new int[0]);
    }

    @Test
    void churnEntriesTakeUnderAByteEachAndAnswerAsWritten() {
        // A million series of one sample: one window each, lengths within a few bytes of each other.
        int n = 10_000 * ExcerptSeries.STRIDE + 5;
        int[] windows = new int[n];
        int[] offset = new int[n];
        int[] length = new int[n];
        java.util.Random r = new java.util.Random(15);
        for (int i = 0; i < n; i++) {
            windows[i] = 1;
            length[i] = 30 + r.nextInt(16);
            offset[i] = i == 0 ? 3 : offset[i - 1] + length[i - 1];
        }
        assertEntries(windows, offset, length);
        long bytes = new ExcerptSeries(windows, offset, length).bytes();
        assertTrue(bytes < n, bytes + " bytes for " + n + " entries");
    }

    @Test
    void valuesAcrossTheWholeIntRangeSurviveThePacking() {
        int[] wide = {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 1, 12345, Integer.MAX_VALUE - 1};
        ExcerptSeries.Packed p = ExcerptSeries.Packed.of(wide);
        for (int i = 0; i < wide.length; i++) {
            assertEquals(wide[i], p.get(i), "value " + i);
        }
        int[] odd = new int[200]; // 7 bits each: values that straddle the longs' boundaries
        for (int i = 0; i < odd.length; i++) {
            odd[i] = 1000 + (i * 53) % 128;
        }
        p = ExcerptSeries.Packed.of(odd);
        for (int i = 0; i < odd.length; i++) {
            assertEquals(odd[i], p.get(i), "value " + i);
        }
        assertEquals(8L * ((200 * 7 + 63) / 64), p.bytes());
    }
}
