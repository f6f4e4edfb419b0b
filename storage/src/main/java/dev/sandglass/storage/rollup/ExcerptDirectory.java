package dev.sandglass.storage.rollup;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The excerpts of a {@link RollupStore} by their headers, in write order, and which of them count
 * and are live: the store's decisions, kept apart from its queue's I/O. Thread-safe: readers walk
 * a copy-on-write list while the store adds to it.
 */
final class ExcerptDirectory {
    private final List<RollupStore.Entry> entries = new CopyOnWriteArrayList<>();
    /** Continued parts this process appended and no excerpt has committed yet: a write under way (or one that failed). */
    private final Set<Long> writing = ConcurrentHashMap.newKeySet();

    /** Every excerpt held, in write order (the live list: it grows as excerpts are added). */
    List<RollupStore.Entry> entries() {
        return entries;
    }

    /** Adds an excerpt read at open. */
    void add(RollupStore.Entry e) {
        entries.add(e);
    }

    /** Adds an excerpt this process appended: the parts it commits are no longer being written, and it may be one. */
    void appended(RollupStore.Entry e) {
        for (long x : e.header().commits()) {
            writing.remove(x);
        }
        if (e.header().continued()) {
            writing.add(e.index());
        }
        entries.add(e);
    }

    /** See {@link RollupStore#beingWritten}. */
    boolean beingWritten(long index) {
        return writing.contains(index);
    }

    /** See {@link RollupStore#counted}. */
    List<RollupStore.Entry> counted(long lastIndex) {
        Set<Long> committed = new HashSet<>();
        for (RollupStore.Entry e : entries) {
            if (e.index() <= lastIndex) {
                for (long x : e.header().commits()) {
                    committed.add(x);
                }
            }
        }
        List<RollupStore.Entry> out = new ArrayList<>();
        for (RollupStore.Entry e : entries) {
            if (e.index() <= lastIndex && (!e.header().continued() || committed.contains(e.index()))) {
                out.add(e);
            }
        }
        return out;
    }

    /** See {@link RollupStore#live}. */
    List<RollupStore.Entry> live(long lastIndex) {
        List<RollupStore.Entry> upTo = counted(lastIndex);
        Set<Long> replaced = new HashSet<>();
        for (RollupStore.Entry e : upTo) {
            for (long x : e.header().supersedes()) {
                replaced.add(x);
            }
        }
        if (!replaced.isEmpty()) {
            upTo.removeIf(e -> replaced.contains(e.index()));
        }
        return upTo;
    }

    /** See {@link RollupStore#coverage}. */
    RollupCoverage coverage(long lastIndex) {
        List<long[]> ranges = new ArrayList<>();
        for (RollupStore.Entry e : counted(lastIndex)) {
            if (e.header().rawIndex() >= 0) {
                ranges.add(new long[] {e.header().rawFrom(), e.header().rawIndex()});
            }
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        return new RollupCoverage(ranges);
    }

    /** Forgets the excerpts of {@code cycle}. */
    void dropCycle(int cycle) {
        entries.removeIf(e -> e.cycle() == cycle);
    }
}
