package dev.sandglass.storage.segment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Blocks that open readers have read, by index, with how many of them hold each: queries
 * running at once (a dashboard's panels, fifty clients) share one copy of a block and its
 * decoded sections instead of one each, which was most of a query's memory. A block leaves
 * when its last reader closes, so nothing is kept between queries (no cache: a query reads
 * and decodes what it needs as before, and an idle server holds no blocks). Each reader passes
 * the set of indexes it holds, so that it counts once per block.
 */
final class SharedBlocks {
    private final Map<Long, Shared> shared = new HashMap<>();

    private static final class Shared {
        final Block block;
        int readers;

        Shared(Block block) {
            this.block = block;
        }
    }

    /** The block at {@code k} if a reader holds it (now {@code holding} too), else null. */
    synchronized Block hold(long k, Set<Long> holding) {
        Shared s = shared.get(k);
        return s == null ? null : hold(k, s, holding);
    }

    /** The block at {@code k}: the copy another reader added meanwhile if any, else {@code fresh}. */
    synchronized Block holdOrAdd(long k, Block fresh, Set<Long> holding) {
        return hold(k, shared.computeIfAbsent(k, x -> new Shared(fresh)), holding);
    }

    private static Block hold(long k, Shared s, Set<Long> holding) {
        if (holding.add(k)) {
            s.readers++;
        }
        return s.block;
    }

    /** One reader less for block {@code k}; the last one lets it go. */
    synchronized void release(long k) {
        Shared s = shared.get(k);
        if (s != null && --s.readers == 0) {
            shared.remove(k);
        }
    }

    /** One reader less for each of {@code held}. */
    synchronized void releaseAll(Set<Long> held) {
        for (long k : held) {
            release(k);
        }
    }

    /** Forgets dropped blocks, whoever holds them. */
    synchronized void forget(List<BlockHeader> gone) {
        gone.forEach(h -> shared.remove(h.index()));
    }
}
