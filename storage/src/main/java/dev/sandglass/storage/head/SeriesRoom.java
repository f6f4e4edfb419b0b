package dev.sandglass.storage.head;

/**
 * How much room a series' array gets in a {@link Head}, in samples: at first, and each time it
 * fills. The policy weighs copies (an array grown too often) against heap reserved and never
 * filled (too many series given too much), and spreads the copies of series collected together
 * over many commits instead of all in one.
 */
final class SeriesRoom {
    /**
     * Samples a series of a head after a seal ({@link Head#after}) has room for at first, before its
     * array grows to its last run (staggered up to twice this): sized by the run at once, every
     * series took its whole interval's room in the first round of commits after the swap, while
     * the seal still held the old head, and the heap's peak at a seal was two full heads (with
     * 100,000 series scraped every 15 s, ~75 MB more; G1 then grew the heap to it and
     * bench/scrape.sh measured RSS 1.2x Prometheus's after the first 10-minute seal). Grown
     * after this many samples, two minutes later at 15 s, the old head is long gone.
     */
    static final int EARLY_SAMPLES = 8;

    private final int capacityHint;
    /** Samples each series got in the head before this one, by page (null: use capacityHint for all). */
    private final int[][] runHints;
    /** Past this many bytes of series arrays, a series' array grows by doubling from 4 samples (see {@link #compactPast}). */
    private long compactPastBytes = Long.MAX_VALUE;

    /** Every series expects {@code capacityHint} samples (at least 16). */
    SeriesRoom(int capacityHint) {
        this.capacityHint = Math.max(16, capacityHint);
        this.runHints = null;
    }

    /** Each series expects what it got in the head before ({@code runHints}, by page of refs). */
    SeriesRoom(int[][] runHints) {
        this.capacityHint = 16;
        this.runHints = runHints;
    }

    private int runHint(int ref) {
        if (runHints == null) {
            return 0;
        }
        int p = ref >>> Head.PAGE_BITS;
        return p < runHints.length && runHints[p] != null ? runHints[p][ref & (Head.PAGE - 1)] : 0;
    }

    /** The room of series {@code ref}'s first array. */
    int first(int ref) {
        int last = runHint(ref);
        if (last > 0) {
            // Room for a few samples first, then its own last run (see hintedCapacity).
            return Math.min(hintedCapacity(ref, last), EARLY_SAMPLES + (int) ((ref * 0x9E3779B9L >>> 16) & (EARLY_SAMPLES - 1)));
        }
        // Two samples first: churn leaves many series with one sample in a head, and a million
        // of them must not reserve the hint's kilobytes each. The second sample grows it to the hint.
        return 2;
    }

    /**
     * The room a full array of {@code size} samples of series {@code ref} grows to, when the
     * head's series arrays take {@code seriesBytes}.
     */
    int next(int ref, int size, long seriesBytes) {
        int last = runHint(ref);
        if (last > 0) {
            int cap = hintedCapacity(ref, last);
            return cap > size ? cap : grown(size);
        }
        return size == 2 ? secondCapacity(ref, seriesBytes) : grown(size);
    }

    /**
     * The room of a series' array once its first two samples fill it, in samples. A head sized by
     * a hint ({@link Head#Head(int)}, after a failed seal) gives each series the hint at once. Else the
     * array grows by half from 4-7 samples ({@link #grown}): a series scraped every 15 s
     * gets 40 samples in a 10-minute head, and 100,000 such series at the old 16-127 samples each
     * held ~1.1 KB instead of ~0.7 (the heap histogram of bench/scrape.sh). The head after a seal
     * sizes each series by its own last run ({@link Head#after}), so only the first head grows this
     * way. Series collected together grow together: staggered capacities spread the copies over
     * many commits instead of all series copying in one.
     */
    private int secondCapacity(int ref, long seriesBytes) {
        if (seriesBytes > compactPastBytes) {
            return 4;
        }
        int stagger = (int) ((ref * 0x9E3779B9L >>> 16) & 3);
        return capacityHint > 16 ? capacityHint + stagger : 4 + stagger;
    }

    /** A series' room by its own last run: a tenth more, spread by an eighth at most so series collected together do not all copy in one commit. */
    private static int hintedCapacity(int ref, int last) {
        int hint = last + last / 10;
        return hint + (int) ((ref * 0x9E3779B9L >>> 16) % Math.max(1, hint / 8));
    }

    /** The room a full array of {@code size} samples grows to: half again (a third of it slack at most). */
    static int grown(int size) {
        return size + Math.max(2, size / 2);
    }

    /** See {@link Head#compactPast}. */
    void compactPast(long bytes) {
        compactPastBytes = bytes;
    }
}
