package dev.sandglass.storage;

import dev.sandglass.storage.jobs.RetentionJob;
import dev.sandglass.storage.rollup.RollupCompactor;
import dev.sandglass.storage.rollup.RollupRetention;
import dev.sandglass.storage.rollup.RollupStore;
import dev.sandglass.storage.segment.BlockHeader;
import dev.sandglass.storage.segment.SegmentStore;
import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upkeep of sealed data, at open and by the storage jobs: rollups for raw blocks none covers,
 * the merge of each finished day's rollup excerpts, and retention of segments and rollups.
 */
final class SealedUpkeep {
    /** Logs as the store, as before this was split out of Db. */
    private static final Logger LOG = LoggerFactory.getLogger(Db.class);

    private SealedUpkeep() {
    }

    /** Rolls up raw blocks no rollup excerpt covers (see {@link RollupRepair}). */
    static void rollUpUncovered(SegmentStore segments, RollupStore rollups) {
        try {
            RollupRepair.run(segments, rollups);
        } finally {
            rollups.releaseWriter();
        }
    }

    /** Merges the rollup excerpts of every UTC day that ended over an hour ago into one per resolution. */
    static void compactRollups(RollupStore rollups) {
        try {
            RollupCompactor.compact(rollups, System.currentTimeMillis() - 3_600_000L);
        } finally {
            rollups.releaseWriter();
        }
    }

    /**
     * Drops whole segments that are too old or over the size budget (calling {@code dropped}
     * after each), then rollups past their own retention or the budget.
     */
    static void applyRetention(DbOptions options, SegmentStore segments, RollupStore rollups, long nowMs, Runnable dropped) {
        long cutoff = nowMs - options.retentionMs();
        Map<Integer, Long> maxT = new HashMap<>();
        for (BlockHeader h : segments.directory()) {
            maxT.merge(h.cycle(), h.maxT(), Math::max);
        }
        Map<Integer, File> files = segments.cycleFiles();
        int current = segments.currentCycle();
        List<RetentionJob.Segment> segs = new ArrayList<>();
        long segBytes = 0;
        List<Path> paths = new ArrayList<>();
        files.values().forEach(f -> paths.add(f.toPath()));
        boolean bySize = options.retentionSizeBytes() > 0;
        // du runs only for a size budget; age retention needs no sizes but the log line's.
        Map<Path, Long> allocated = bySize ? AllocatedBytes.of(paths) : Map.of();
        for (var e : files.entrySet()) {
            long bytes = bySize ? allocated.getOrDefault(e.getValue().toPath(), 0L) : e.getValue().length();
            segBytes += bytes;
            segs.add(new RetentionJob.Segment(e.getKey(), bytes, maxT.getOrDefault(e.getKey(), Long.MIN_VALUE), e.getKey() == current));
        }
        long other = bySize ? Math.max(0, AllocatedBytes.of(options.dir()) - segBytes) : 0;
        for (RetentionJob.Segment s : RetentionJob.toDrop(segs, other, cutoff, options.retentionSizeBytes())) {
            LOG.info("retention: dropping segment {} ({} bytes, newest sample {})", files.get(s.cycle()), s.bytes(),
                    s.maxT() == Long.MIN_VALUE ? "none" : Instant.ofEpochMilli(s.maxT()));
            segments.dropCycle(s.cycle(), files.get(s.cycle()));
            dropped.run();
        }
        Map<Path, Long> rollupAllocated = bySize
                ? AllocatedBytes.of(rollups.cycleFiles().values().stream().map(File::toPath).toList()) : Map.of();
        RollupRetention.apply(rollups, nowMs - options.rollupRetentionMs(), options.retentionSizeBytes(),
                bySize ? AllocatedBytes.of(options.dir()) : 0, f -> bySize ? rollupAllocated.getOrDefault(f.toPath(), 0L) : f.length());
    }
}
