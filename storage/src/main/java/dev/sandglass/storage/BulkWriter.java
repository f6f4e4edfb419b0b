package dev.sandglass.storage;

import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.rollup.RollupWriter;
import dev.sandglass.storage.segment.BlockWriter;
import dev.sandglass.storage.segment.FittingBlocks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Bulk import straight into sealed blocks: samples are gathered per series, sorted (last write of
 * a timestamp wins), cut into 30-minute blocks aligned to the clock (a short query window then
 * decodes little, and compression barely changes), encoded on two threads and appended in time
 * order. Bypasses the WAL: nothing is visible until {@link #finish()} returns.
 */
final class BulkWriter implements BulkAppender {
    static final long BLOCK_MS = 30 * 60_000L;
    static final long MAX_BLOCK_SAMPLES = 4_000_000;

    private final Db db;
    private final Map<Integer, Samples> data = new HashMap<>();
    private boolean done;

    BulkWriter(Db db) {
        this.db = db;
    }

    @Override
    public long seriesRef(Labels labels) {
        return db.index().ref(labels);
    }

    @Override
    public void append(long ref, long timestampMs, double value) {
        data.computeIfAbsent((int) ref, k -> new Samples(16)).add(timestampMs, value);
    }

    @Override
    public void appendAll(long ref, long[] timestampsMs, double[] values, int n) {
        Samples have = data.get((int) ref);
        if (have == null) {
            // Adopt the caller's arrays: an import hands over each series once, so no copy.
            data.put((int) ref, new Samples(timestampsMs, values, n));
            return;
        }
        for (int i = 0; i < n; i++) {
            have.add(timestampsMs[i], values[i]);
        }
    }

    @Override
    public long finish() {
        if (done) {
            return 0;
        }
        done = true;
        db.checkOpen();
        db.index().flush(); // the new series are durable before the blocks naming them
        // Per block start: the series slices that fall in it.
        TreeMap<Long, List<BlockWriter.SeriesData>> byBlock = new TreeMap<>();
        long total = 0;
        List<Integer> refs = new ArrayList<>(data.keySet());
        refs.sort(Integer::compare);
        for (int ref : refs) {
            Samples s = SeriesMerge.ordered(data.get(ref));
            total += s.size();
            String metric = db.index().labels(ref).metricName();
            long[] t = s.timestamps();
            double[] v = s.values();
            int i = 0;
            while (i < s.size()) {
                long block = Math.floorDiv(t[i], BLOCK_MS);
                int j = i;
                while (j < s.size() && Math.floorDiv(t[j], BLOCK_MS) == block) {
                    j++;
                }
                // A slice of the series' arrays, not a copy: the import's samples are held once.
                byBlock.computeIfAbsent(block, k -> new ArrayList<>()).add(new BlockWriter.SeriesData(ref, metric, t, v, i, j - i));
                i = j;
            }
        }
        data.clear();
        List<List<BlockWriter.SeriesData>> batches = new ArrayList<>();
        for (List<BlockWriter.SeriesData> series : byBlock.values()) {
            List<BlockWriter.SeriesData> batch = new ArrayList<>();
            long n = 0;
            for (BlockWriter.SeriesData sd : series) {
                batch.add(sd);
                n += sd.size();
                if (n >= MAX_BLOCK_SAMPLES || batch.size() >= FittingBlocks.MAX_SERIES) {
                    batches.add(batch);
                    batch = new ArrayList<>();
                    n = 0;
                }
            }
            if (!batch.isEmpty()) {
                batches.add(batch);
            }
        }
        // Blocks wholly older than raw retention are not kept raw (retention would drop them at
        // once): only their rollups are written, which keep --rollup-retention.
        long rawCutoff = db.retentionCutoffMs(System.currentTimeMillis());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())));
        try {
            List<Future<List<byte[]>>> encoded = new ArrayList<>();
            for (List<BlockWriter.SeriesData> b : batches) {
                // Split further when the bytes would not fit one queue excerpt (values that hardly compress).
                encoded.add(rollupOnly(b, rawCutoff) ? null : pool.submit(() -> FittingBlocks.encode(b, -1)));
            }
            // Raw blocks then their rollups, in time order; flushed at whole hours so that an
            // hour's window is rarely cut in two, and under the seal lock so that rollup excerpts
            // cover raw blocks in order (see Db.rollUpUncovered).
            synchronized (db.sealLock()) {
                RollupWriter rollup = new RollupWriter();
                long rawFrom = -1;
                long rawIndex = -1;
                for (int k = 0; k < encoded.size(); k++) {
                    // Without samples raw blocks already hold (the same file imported twice): see
                    // SealedDuplicates. Asked before this batch's own blocks are appended.
                    List<BlockWriter.SeriesData> counted = db.withoutSealed(batches.get(k));
                    if (encoded.get(k) != null) {
                        for (byte[] block : encoded.get(k).get()) {
                            rawIndex = db.appendRaw(block).index();
                            rawFrom = rawFrom < 0 ? rawIndex : rawFrom;
                        }
                    }
                    for (BlockWriter.SeriesData sd : counted) {
                        rollup.add(sd.ref(), sd.timestamps(), sd.values(), sd.offset(), sd.size());
                    }
                    for (BlockWriter.SeriesData sd : batches.get(k)) {
                        rollup.span(sd.timestamps()[sd.offset()], sd.timestamps()[sd.offset() + sd.size() - 1]);
                    }
                    // Many series (churn) cost bytes of header each: flush before an excerpt outgrows the queue.
                    if ((rollup.entries() > 500_000 || rollup.series() > 40_000) && endsHour(batches, k)) {
                        rollup.flush(db.rollups(), rawFrom, rawIndex);
                        rawFrom = -1;
                        rawIndex = -1;
                    }
                }
                rollup.flush(db.rollups(), rawFrom, rawIndex);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.sandglass.storage.api.StorageException("bulk import interrupted");
        } catch (ExecutionException e) {
            throw new dev.sandglass.storage.api.StorageException("encode block: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
            db.releaseWriters();
        }
        return total;
    }

    /** Whether every sample of the batch (one 30-minute block's series) is older than {@code cutoffMs}. */
    private static boolean rollupOnly(List<BlockWriter.SeriesData> batch, long cutoffMs) {
        var sd = batch.get(0);
        long blockEnd = Math.floorDiv(sd.timestamps()[sd.offset()], BLOCK_MS) * BLOCK_MS + BLOCK_MS - 1;
        return blockEnd < cutoffMs;
    }

    /** Whether the batch after {@code k} starts in a later hour than batch k's samples. */
    private static boolean endsHour(List<List<BlockWriter.SeriesData>> batches, int k) {
        if (k + 1 >= batches.size()) {
            return true;
        }
        var nextSd = batches.get(k + 1).get(0);
        long next = nextSd.timestamps()[nextSd.offset()];
        var sd = batches.get(k).get(0);
        return Math.floorDiv(next, 3_600_000L) != Math.floorDiv(sd.timestamps()[sd.offset()], 3_600_000L);
    }

    @Override
    public void close() {
        data.clear();
    }
}
