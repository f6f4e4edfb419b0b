package dev.sandglass.storage;

import dev.sandglass.storage.head.Head;
import dev.sandglass.storage.head.HeadBudget;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-memory heads of unsealed samples and the lock that guards which head is which: the one
 * filling (commits add to it), the one being sealed (read instead of the blocks it becomes until
 * they are appended), and one a failed seal could not put back (sealed first next time). Their
 * share of the heap is the {@link HeadBudget}. The fields change under the write lock; readers
 * (queriers) take the read lock to see a consistent pair.
 */
final class Heads {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final HeadBudget budget = HeadBudget.ofHeap(Runtime.getRuntime().maxMemory());
    private Head head = new Head();
    private Head sealing;
    /** A head whose seal failed and could not be put back into the head (out of heap): sealed first next time. */
    private Head unsealed;
    private long unsealedCheckpoint;

    Heads() {
        head.compactPast(budget.limitBytes() / 4);
    }

    ReentrantReadWriteLock lock() {
        return lock;
    }

    HeadBudget budget() {
        return budget;
    }

    /** The head filling; under the lock. */
    Head head() {
        return head;
    }

    /** The head being sealed, or null; under the lock. */
    Head sealing() {
        return sealing;
    }

    /** Sets the heads' share of the heap; serve derives it from --memory.limit. */
    void limit(long bytes) {
        budget.limit(bytes);
        lock.writeLock().lock();
        try {
            head.compactPast(budget.limitBytes() / 4);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Bytes the heads hold now: the one filling, the one being sealed. Under the read lock. */
    long bytes() {
        lock.readLock().lock();
        try {
            return head.bytes() + (sealing != null ? sealing.bytes() : 0)
                    + (unsealed != null && unsealed != sealing ? unsealed.bytes() : 0);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Whether an early seal would free much: only when the head's samples (16 bytes each) are at
     * least half the budget. Past the budget with fewer, the series' own slots and arrays are what
     * fill it (too many series for the budget): sealing then would write a block of one or two
     * samples per series at every commit and free next to nothing.
     */
    boolean worthSealing() {
        lock.readLock().lock();
        try {
            return head.samples() * 16 >= budget.limitBytes() / 2;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Files a committed batch kept aside by the head into its series. A querier calls it before it
     * takes the head, so every batch committed before the querier was made is in the series it
     * reads; the collect loop calls it between collections (Appender.prepareNext).
     */
    void foldPending() {
        boolean pending;
        lock.readLock().lock(); // the head field changes under the lock; the cheap check first
        try {
            pending = head.hasPending();
        } finally {
            lock.readLock().unlock();
        }
        if (!pending) {
            return;
        }
        lock.writeLock().lock();
        try {
            head.fold();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Under the write lock: the head filling becomes the one being sealed, and is returned; a new one fills. */
    Head startSeal() {
        Head old = head;
        sealing = old;
        head = nextHead(old);
        return old;
    }

    /** Under the write lock: the head being sealed is in blocks now. */
    void sealed() {
        sealing = null;
    }

    /**
     * The head after {@code old}, under the write lock: a new one sized like {@code old} plus a
     * tenth so its series never copy to grow (when the head budget leaves room for that).
     */
    private Head nextHead(Head old) {
        // Sized like old only when that is well within the budget: after an early seal, series
        // arrays sized by their last run would put the new head over the budget at once.
        return (budget.keepSpare(old.bytes(), 0) ? Head.after(old) : new Head()).compactPast(budget.limitBytes() / 4);
    }

    /** After a failed seal: one head holding the unsealed samples, then those committed since. */
    void restore(Head old) {
        lock.writeLock().lock();
        try {
            head.fold();
            Head merged = new Head(old.longestRun() + head.longestRun()).compactPast(budget.limitBytes() / 4);
            for (Head h : new Head[] {old, head}) {
                for (Head.Run r : h.runs()) {
                    long[] d = r.data();
                    for (int i = 0; i < r.size(); i++) {
                        merged.add(r.ref(), d[2 * i], Double.longBitsToDouble(d[2 * i + 1]));
                    }
                }
            }
            head = merged;
            sealing = null;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * After a failed seal that had no heap to {@link #restore}: {@code old} stays readable as the
     * head being sealed and is sealed first next time, with its own checkpoint (the WAL keeps it till then).
     */
    void keepUnsealed(Head old, long checkpoint) {
        unsealed = old;
        unsealedCheckpoint = checkpoint;
    }

    /** The head a failed seal left behind, or null; under the seal lock. */
    Head unsealed() {
        return unsealed;
    }

    long unsealedCheckpoint() {
        return unsealedCheckpoint;
    }

    /** Under the write lock: the head a failed seal left behind is in blocks now. */
    void unsealedSealed() {
        unsealed = null;
        sealing = null;
    }
}
