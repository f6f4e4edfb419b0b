package dev.sandglass.storage.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.jobs.RetentionJob.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionJobTest {
    private static List<Integer> cycles(List<Segment> s) {
        return s.stream().map(Segment::cycle).toList();
    }

    private static final List<Segment> SEGS = List.of(
            new Segment(3, 100, 3000, false),
            new Segment(1, 100, 1000, false),
            new Segment(2, 100, 2000, false),
            new Segment(4, 100, 4000, true));

    @Test
    void ageDropsOnlySegmentsWhoseNewestSampleIsBeforeTheCutoff() {
        assertEquals(List.of(1, 2), cycles(RetentionJob.toDrop(SEGS, 0, 2001, 0)));
        assertEquals(List.of(1), cycles(RetentionJob.toDrop(SEGS, 0, 2000, 0)));
        assertEquals(List.of(), cycles(RetentionJob.toDrop(SEGS, 0, Long.MIN_VALUE, 0)));
    }

    @Test
    void currentSegmentIsNeverDroppedEvenWhenTooOldOrOverBudget() {
        assertEquals(List.of(1, 2, 3), cycles(RetentionJob.toDrop(SEGS, 0, Long.MAX_VALUE, 0)));
        assertEquals(List.of(1, 2, 3), cycles(RetentionJob.toDrop(SEGS, 1000, 0, 1)));
    }

    @Test
    void sizeBudgetDropsOldestFirstUntilItFits() {
        // 400 of segments + 50 other: a budget of 260 needs two dropped (450 -> 250)
        assertEquals(List.of(1, 2), cycles(RetentionJob.toDrop(SEGS, 50, 0, 260)));
        assertEquals(List.of(1), cycles(RetentionJob.toDrop(SEGS, 50, 0, 350)));
        assertEquals(List.of(), cycles(RetentionJob.toDrop(SEGS, 50, 0, 450)));
    }

    @Test
    void budgetIsExceededByAtMostTheCurrentSegment() {
        for (long budget = 1; budget <= 500; budget += 7) {
            List<Segment> drop = RetentionJob.toDrop(SEGS, 50, 0, budget);
            long left = 450 - drop.stream().mapToLong(Segment::bytes).sum();
            // non-segment files (50) cannot be dropped, so a budget below them ends at them + current
            assertTrue(left <= Math.max(budget, 50) + 100, "budget " + budget + " left " + left);
            assertTrue(drop.size() == 3 || left <= budget, "stopped early over budget " + budget + ": " + left);
        }
    }
}
