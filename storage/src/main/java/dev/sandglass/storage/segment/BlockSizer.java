package dev.sandglass.storage.segment;

import java.util.List;

/**
 * How many samples a seal gathers into one batch, so that its block fits one queue excerpt the
 * first time it is encoded. A seal cut batches at a fixed count of samples (2 M), and values
 * that hardly compress (100,000 scraped gauges: ~8 bytes a sample) made each batch's block
 * several times the 4 MB excerpt limit: {@link FittingBlocks} then halved it and encoded it
 * again, level after level, so a 10-minute seal encoded its samples three or four times and
 * held 2 M-sample columns, and its garbage took the heap (and serve's RSS) from ~125 to ~260 MB
 * used for the time of the seal. This learns the bytes a sample took in the blocks last encoded
 * and aims the next batch at three quarters of the limit; FittingBlocks still splits a block
 * that does not fit (values that compress worse than the last ones), so nothing depends on the
 * guess being right. Compressible data (a byte or two a sample) keeps the full-size batches.
 */
public final class BlockSizer {
    /** The share of the excerpt limit a batch aims at: room for values compressing worse than the last. */
    static final double AIM = 0.75;
    /** Fewest samples a batch is cut at (as HeadBudget's), so series of many samples still go in big blocks. */
    static final int MIN_SAMPLES = 65_536;
    /** Batches smaller than this teach nothing: header bytes dominate them. */
    static final int LEARN_FROM = 10_000;

    private final int maxBlockBytes;
    /** Bytes a sample took in the last batch encoded; 0 before the first. */
    private volatile double bytesPerSample;

    public BlockSizer() {
        this(SegmentStore.MAX_BLOCK_BYTES);
    }

    BlockSizer(int maxBlockBytes) {
        this.maxBlockBytes = maxBlockBytes;
    }

    /** Samples the next batch should hold, at most {@code maxSamples}. */
    public int samples(int maxSamples) {
        double b = bytesPerSample;
        if (b <= 0) {
            return maxSamples;
        }
        long fit = (long) (maxBlockBytes * AIM / b);
        return (int) Math.min(maxSamples, Math.max(MIN_SAMPLES, fit));
    }

    /** Records that a batch of {@code samples} samples was encoded into {@code blocks}. */
    public void encoded(long samples, List<byte[]> blocks) {
        long bytes = 0;
        for (byte[] b : blocks) {
            bytes += b.length;
        }
        encoded(samples, bytes);
    }

    /** Records that a batch of {@code samples} samples was encoded into blocks of {@code bytes} in all. */
    public void encoded(long samples, long bytes) {
        if (samples >= LEARN_FROM) {
            bytesPerSample = (double) bytes / samples;
        }
    }

    /**
     * Bytes {@code samples} samples should take in blocks, about, for a check of free space before
     * a seal: as the last batches took, a quarter more; {@code unknown} bytes a sample before any.
     */
    public long estimate(long samples, double unknown) {
        double b = bytesPerSample;
        return (long) (samples * (b > 0 ? b * 1.25 : unknown));
    }
}
