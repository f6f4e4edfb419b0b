package dev.sandglass.storage;

import dev.sandglass.storage.head.Head;
import dev.sandglass.storage.rollup.RollupStore;
import dev.sandglass.storage.rollup.RollupWriter;
import dev.sandglass.storage.segment.BlockEncoder;
import dev.sandglass.storage.segment.BlockHeader;
import dev.sandglass.storage.segment.BlockSizer;
import dev.sandglass.storage.segment.BlockWriter;
import dev.sandglass.storage.segment.FittingBlocks;
import dev.sandglass.storage.segment.SegmentStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a head's runs as raw blocks and their rollups, one batch at a time: each batch's runs
 * are split into time and value columns, rolled up, encoded into blocks and appended before the
 * next batch reuses the columns and the encoder's buffers. What a seal holds besides the head is
 * then one batch (a few MB) whatever the size of the head; it used to keep every encoded block
 * of the head (~30 MB for 100,000 scraped series at 10 minutes) until all were encoded, and
 * allocate fresh buffers per block, and the serial collector grew the heap to that burst
 * (serve's peak RSS 1.8x Prometheus's at each seal in bench/scrape.sh).
 *
 * <p>Space is checked first for an estimate of the whole write (the bytes a sample took in the
 * last blocks, a quarter more, and a quarter again for rollups), and before every block. A write
 * that fails part way (the disk filled up after all) leaves the blocks appended so far, as a kill
 * midway through a seal does: the WAL still holds their samples, the failed seal puts them back
 * into the head and the next one writes them again; readers keep one sample per timestamp,
 * rollups skip what raw blocks already hold (SealedDuplicates), and the next open rolls up the
 * blocks left without rollups. Only the last block carries the WAL checkpoint, as before.
 */
final class SealWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SealWriter.class);
    /** Bytes a sample is assumed to take before any block was encoded: scraped gauges take ~8. */
    static final double UNKNOWN_BYTES_PER_SAMPLE = 10;

    /** Appends one block ({@code len} bytes of a reused buffer) to the raw segments. */
    @FunctionalInterface
    interface RawAppender {
        BlockHeader append(byte[] block, int len);
    }

    private final SegmentStore segments;
    private final RollupStore rollups;
    private final SealedDuplicates duplicates;
    private final BlockSizer sizer;
    private final IntSupplier maxBatchSamples;
    private final IntFunction<String> metricOf;
    private final RawAppender appender;
    private long rawFrom = -1;
    private long rawIndex = -1;

    SealWriter(SegmentStore segments, RollupStore rollups, SealedDuplicates duplicates, BlockSizer sizer,
            IntSupplier maxBatchSamples, IntFunction<String> metricOf, RawAppender appender) {
        this.segments = segments;
        this.rollups = rollups;
        this.duplicates = duplicates;
        this.sizer = sizer;
        this.maxBatchSamples = maxBatchSamples;
        this.metricOf = metricOf;
        this.appender = appender;
    }

    /**
     * Writes {@code runs} (ascending by ref, each once); the last block carries {@code checkpoint}.
     * {@code lastRawIndex}: the last raw block from before this write, which the rollups compare with.
     */
    void write(List<Head.Run> runs, long checkpoint, long lastRawIndex) {
        long samples = 0;
        for (Head.Run r : runs) {
            samples += r.size();
        }
        long estimate = sizer.estimate(samples, UNKNOWN_BYTES_PER_SAMPLE);
        segments.ensureSpace(estimate + estimate / 4);
        RollupWriter rollup = RollupWriter.streaming(rollups);
        List<BlockWriter.SeriesData> batch = new ArrayList<>();
        int inBatch = 0;
        long batchMinT = Long.MAX_VALUE;
        long batchMaxT = Long.MIN_VALUE;
        int batchSamples = sizer.samples(maxBatchSamples.getAsInt());
        // Sized for a batch at once: grown by doubling they were 15% of a seal's allocations.
        int columns = (int) Math.min(samples, batchSamples + batchSamples / 8);
        long[] ts = new long[columns];
        double[] vs = new double[columns];
        try (BlockEncoder encoder = new BlockEncoder()) {
            for (int i = 0; i < runs.size(); i++) {
                Head.Run r = runs.get(i);
                if (ts.length < inBatch + r.size()) {
                    // A run longer than the room left (or a batch grown by the sizer); runs already batched keep the old arrays.
                    int need = inBatch + r.size();
                    int cap = Math.max(need, Math.min(batchSamples + batchSamples / 8, 2 * need));
                    long[] t = java.util.Arrays.copyOf(ts, cap);
                    double[] v = java.util.Arrays.copyOf(vs, cap); // both or neither: a full heap may fail the second
                    ts = t;
                    vs = v;
                }
                r.copyTo(ts, vs, inBatch);
                if (r.size() > 0) {
                    batchMinT = Math.min(batchMinT, ts[inBatch]);
                    batchMaxT = Math.max(batchMaxT, ts[inBatch + r.size() - 1]);
                }
                batch.add(new BlockWriter.SeriesData(r.ref(), metricOf.apply(r.ref()), ts, vs, inBatch, r.size()));
                inBatch += r.size();
                boolean last = i == runs.size() - 1;
                if (inBatch >= batchSamples || batch.size() >= FittingBlocks.MAX_SERIES || last) {
                    // Rolled up before the batch's blocks are appended, against the raw blocks from
                    // before this write (a write retried after a seal, a replay after a kill midway
                    // through a seal): see SealedDuplicates.
                    for (BlockWriter.SeriesData s : duplicates.withoutSealed(batch, lastRawIndex)) {
                        rollup.add(s.ref(), s.timestamps(), s.values(), s.offset(), s.size());
                    }
                    rollup.span(batchMinT, batchMaxT);
                    // Cut by series too, and split further by bytes: each block must fit one queue excerpt.
                    long bytes = FittingBlocks.write(encoder, batch, last ? checkpoint : -1, this::append);
                    sizer.encoded(inBatch, bytes);
                    batchSamples = sizer.samples(maxBatchSamples.getAsInt());
                    batchMinT = Long.MAX_VALUE;
                    batchMaxT = Long.MIN_VALUE;
                    batch.clear();
                    inBatch = 0;
                }
            }
            // After the raw blocks: a crash in between leaves blocks that the next open rolls up, and
            // so does a failure here, which must not fail the seal (its raw blocks are written).
            try {
                rollup.flush(rollups, rawFrom, rawIndex);
            } catch (RuntimeException e) {
                LOG.warn("rollups of the blocks just sealed were not written ({}); the next start rolls them up", e.getMessage());
            }
        }
    }

    private void append(byte[] block, int len) {
        rawIndex = appender.append(block, len).index();
        rawFrom = rawFrom < 0 ? rawIndex : rawFrom;
    }
}
