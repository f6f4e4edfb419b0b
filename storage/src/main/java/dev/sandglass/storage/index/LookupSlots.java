package dev.sandglass.storage.index;

import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * An open-addressing table of ids (linear probing) in {@link ScratchPages}, for the lookups of
 * {@link SeriesTable} (refs by label set) and {@link Symbols} (ids by string). Its size is any
 * whole number of pages, not a power of two: a probe starts at {@code hash * size >>> 32}, and it
 * grows by half, kept between 1/2 and 3/4 full. A power of two doubling at 3/4 is between 3/8 and
 * 3/4 full: at a million series it held 2,097,152 slots (8 MiB) where this holds 1,425,408 (5.4).
 * Not thread-safe: its owner guards it.
 */
final class LookupSlots {
    private static final int PAGE_INTS = ScratchPages.PAGE / 4;
    private final ScratchPages scratch;
    /** id + 1 per slot; 0 is empty. */
    private PagedInts slots;
    private int size = PAGE_INTS;

    LookupSlots(ScratchPages scratch) {
        this.scratch = scratch;
        this.slots = new PagedInts(scratch);
        slots.ensure(size);
    }

    /** The first slot to probe for {@code hash}. */
    int first(int hash) {
        return (int) (((Symbols.spread(hash) & 0xFFFFFFFFL) * size) >>> 32);
    }

    /** The slot probed after {@code i}. */
    int next(int i) {
        return ++i == size ? 0 : i;
    }

    /** The id in slot {@code i}, or -1 when it is empty (the probe ends there). */
    int get(int i) {
        return slots.get(i) - 1;
    }

    /**
     * Adds {@code id}, which its owner already holds, {@code count} ids in all. When that makes the
     * table more than 3/4 full it is rebuilt half as large again instead, from every id below
     * {@code bound} that {@code held} accepts ({@code id} among them), their hashes from
     * {@code hashOf}.
     */
    void add(int id, int hash, int count, int bound, IntPredicate held, IntUnaryOperator hashOf) {
        if (count * 4L <= size * 3L) {
            insert(id, hash);
            return;
        }
        long want = Math.max(size + size / 2L, count * 2L);
        int bigger = (int) Math.min(Integer.MAX_VALUE - PAGE_INTS, (want + PAGE_INTS - 1) / PAGE_INTS * PAGE_INTS);
        PagedInts grown = new PagedInts(scratch);
        grown.ensure(bigger);
        slots.release();
        slots = grown;
        size = bigger;
        for (int other = 0; other < bound; other++) {
            if (held.test(other)) {
                insert(other, hashOf.applyAsInt(other));
            }
        }
    }

    /** Bytes of its pages. */
    long bytes() {
        return 4L * slots.capacity();
    }

    private void insert(int id, int hash) {
        int i = first(hash);
        while (slots.get(i) != 0) {
            i = next(i);
        }
        slots.set(i, id + 1);
    }
}
