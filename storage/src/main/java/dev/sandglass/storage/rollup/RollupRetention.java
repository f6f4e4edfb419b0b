package dev.sandglass.storage.rollup;

import java.io.File;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops rollup cycle files: every one whose newest window ends before the rollup retention
 * cutoff, then, when the data dir is still over the size budget after raw retention has dropped
 * every raw segment it could, the oldest ones until it fits. The cycle being written stays.
 */
public final class RollupRetention {
    private static final Logger LOG = LoggerFactory.getLogger(RollupRetention.class);

    /** A rollup cycle file as retention sees it: its bytes and the end of its newest window. */
    public record Cycle(int cycle, long bytes, long maxT, boolean current) {
    }

    private RollupRetention() {
    }

    /** Pure decision: which cycles to drop, given the bytes the whole data dir holds now. */
    public static List<Cycle> toDrop(List<Cycle> cycles, long cutoffMs, long budgetBytes, long totalBytes) {
        List<Cycle> sorted = new ArrayList<>(cycles);
        sorted.sort(Comparator.comparingLong(Cycle::maxT).thenComparingInt(Cycle::cycle));
        List<Cycle> drop = new ArrayList<>();
        long total = totalBytes;
        for (Cycle c : sorted) {
            if (c.current()) {
                continue;
            }
            if (c.maxT() < cutoffMs || (budgetBytes > 0 && total > budgetBytes)) {
                drop.add(c);
                total -= c.bytes();
            }
        }
        return drop;
    }

    /** Applies {@link #toDrop} to the store; {@code totalBytes} is the data dir's size after raw retention. */
    public static void apply(RollupStore store, long cutoffMs, long budgetBytes, long totalBytes) {
        Map<Integer, File> files = store.cycleFiles();
        int current = store.currentCycle();
        java.util.Map<Integer, Long> maxT = new java.util.HashMap<>();
        for (RollupStore.Entry e : store.directory()) {
            maxT.merge(e.cycle(), e.header().maxT(), Math::max);
        }
        List<Cycle> cycles = new ArrayList<>();
        for (var f : files.entrySet()) {
            cycles.add(new Cycle(f.getKey(), f.getValue().length(), maxT.getOrDefault(f.getKey(), Long.MIN_VALUE), f.getKey() == current));
        }
        for (Cycle c : toDrop(cycles, cutoffMs, budgetBytes, totalBytes)) {
            LOG.info("rollup retention: dropping {} ({} bytes, newest sample {})", files.get(c.cycle()), c.bytes(),
                    c.maxT() == Long.MIN_VALUE ? "none" : java.time.Instant.ofEpochMilli(c.maxT()));
            store.dropCycle(c.cycle(), files.get(c.cycle()));
        }
    }
}
