package dev.sandglass.storage.jobs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides which segments (cycle files of sealed blocks) retention drops: every one whose newest
 * sample is older than the age cutoff, then the oldest ones until everything in the data dir fits
 * the size budget. The segment being written is never dropped, so the budget is exceeded by at
 * most that one segment. Pure logic: the caller does the deleting.
 */
public final class RetentionJob {
    /** A segment as retention sees it. */
    public record Segment(int cycle, long bytes, long maxT, boolean current) {
    }

    private RetentionJob() {
    }

    /**
     * @param otherBytes bytes in the data dir that are not segments (WAL, index, lock)
     * @param budgetBytes 0 for no size limit
     */
    public static List<Segment> toDrop(List<Segment> segments, long otherBytes, long cutoffMs, long budgetBytes) {
        List<Segment> sorted = new ArrayList<>(segments);
        sorted.sort(Comparator.comparingLong(Segment::maxT).thenComparingInt(Segment::cycle));
        List<Segment> drop = new ArrayList<>();
        long total = otherBytes;
        for (Segment s : sorted) {
            total += s.bytes();
        }
        for (Segment s : sorted) {
            if (s.current()) {
                continue;
            }
            boolean tooOld = s.maxT() < cutoffMs;
            boolean overBudget = budgetBytes > 0 && total > budgetBytes;
            if (tooOld || overBudget) {
                drop.add(s);
                total -= s.bytes();
            }
        }
        return drop;
    }
}
