package dev.sandglass.storage.segment;

import java.util.ArrayDeque;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * Tailers of finished readers, kept for the next ones: a new tailer maps the cycle files it
 * reads and unmaps them when closed, two system calls per file per query (6% of a counter
 * query's profile). Dropping a cycle closes them all (generation moves on), so none keeps a
 * deleted file mapped. A reader takes its tailer and the generation together, under this
 * pool's monitor and the store's (SegmentStore#document), so a drop is never half done then.
 */
final class TailerPool {
    private static final int IDLE_TAILERS = 4;

    private final SingleChronicleQueue queue;
    private final ArrayDeque<ExcerptTailer> idle = new ArrayDeque<>();
    private int generation;
    private boolean closed;

    TailerPool(SingleChronicleQueue queue) {
        this.queue = queue;
    }

    synchronized int generation() {
        return generation;
    }

    synchronized ExcerptTailer take() {
        ExcerptTailer t = idle.poll();
        if (t == null) {
            return queue.createTailer();
        }
        // Tailers check that one thread uses them; this one now belongs to the caller's.
        t.singleThreadedCheckReset();
        return t;
    }

    /** Keeps {@code t} for the next reader unless its generation is over (or the pool is full). */
    synchronized void giveBack(ExcerptTailer t, int taken) {
        if (!closed && taken == generation && idle.size() < IDLE_TAILERS) {
            idle.push(t);
        } else {
            t.close();
        }
    }

    /** Closes the idle tailers and ends their generation: those still out are closed when given back. */
    synchronized void closeIdle() {
        generation++;
        for (ExcerptTailer t : idle) {
            t.close();
        }
        idle.clear();
    }

    synchronized void close() {
        closed = true;
        closeIdle();
    }
}
