package dev.sandglass.storage.rollup;

import dev.sandglass.storage.jobs.RetentionJob;
import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops rollup cycle files: every one whose newest window ends before the rollup retention
 * cutoff, then, when the data dir is still over the size budget after raw retention has dropped
 * every raw segment it could, the oldest ones until it fits. The cycle being written stays. The
 * decision is raw retention's ({@link RetentionJob#toDrop}) over rollup cycles, run after it.
 */
public final class RollupRetention {
    private static final Logger LOG = LoggerFactory.getLogger(RollupRetention.class);

    private RollupRetention() {
    }

    /**
     * Drops what retention decides; {@code totalBytes} is the data dir's size after raw retention
     * ran, {@code sizeOf} a cycle file's size counted the same way (allocated bytes for a budget).
     */
    public static void apply(RollupStore store, long cutoffMs, long budgetBytes, long totalBytes, java.util.function.ToLongFunction<File> sizeOf) {
        Map<Integer, File> files = store.cycleFiles();
        int current = store.currentCycle();
        Map<Integer, Long> maxT = new HashMap<>();
        java.util.Set<Long> counted = new java.util.HashSet<>();
        for (RollupStore.Entry e : store.counted(Long.MAX_VALUE)) {
            counted.add(e.index());
        }
        for (RollupStore.Entry e : store.directory()) {
            // Orphan parts do not hold a cycle back; those of a write under way are as if counted.
            if (counted.contains(e.index()) || store.beingWritten(e.index())) {
                maxT.merge(e.cycle(), e.header().maxT(), Math::max);
            }
        }
        List<RetentionJob.Segment> cycles = new ArrayList<>();
        long rollupBytes = 0;
        for (var f : files.entrySet()) {
            long bytes = sizeOf.applyAsLong(f.getValue());
            rollupBytes += bytes;
            cycles.add(new RetentionJob.Segment(f.getKey(), bytes, maxT.getOrDefault(f.getKey(), Long.MIN_VALUE), f.getKey() == current));
        }
        for (RetentionJob.Segment c : RetentionJob.toDrop(cycles, Math.max(0, totalBytes - rollupBytes), cutoffMs, budgetBytes)) {
            LOG.info("rollup retention: dropping {} ({} bytes, newest sample {})", files.get(c.cycle()), c.bytes(),
                    c.maxT() == Long.MIN_VALUE ? "none" : java.time.Instant.ofEpochMilli(c.maxT()));
            store.dropCycle(c.cycle(), files.get(c.cycle()));
        }
        dropReplaced(store);
    }

    /** Deletes cycle files (not the current one) whose every excerpt compaction has replaced or is an orphan part. */
    static void dropReplaced(RollupStore store) {
        java.util.Set<Long> live = new java.util.HashSet<>();
        for (RollupStore.Entry e : store.live(Long.MAX_VALUE)) {
            live.add(e.index());
        }
        Map<Integer, Boolean> allReplaced = new HashMap<>();
        for (RollupStore.Entry e : store.directory()) {
            // Orphan parts (a write cut short) go too, but not those of a write still under way.
            allReplaced.merge(e.cycle(), !live.contains(e.index()) && !store.beingWritten(e.index()), Boolean::logicalAnd);
        }
        int current = store.currentCycle();
        Map<Integer, File> files = store.cycleFiles();
        for (var c : allReplaced.entrySet()) {
            if (c.getValue() && c.getKey() != current) {
                LOG.info("rollups: deleting {}, every excerpt in it compacted into a later one", files.get(c.getKey()));
                store.dropCycle(c.getKey(), files.get(c.getKey()));
            }
        }
    }
}
