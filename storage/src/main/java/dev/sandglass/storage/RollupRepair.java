package dev.sandglass.storage;

import dev.sandglass.storage.rollup.RollupCoverage;
import dev.sandglass.storage.rollup.RollupStore;
import dev.sandglass.storage.rollup.RollupWriter;
import dev.sandglass.storage.segment.BlockHeader;
import dev.sandglass.storage.segment.SegmentStore;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The open-time repair of rollups: raw blocks without them are read back and rolled up. */
final class RollupRepair {
    private static final Logger LOG = LoggerFactory.getLogger(RollupRepair.class);

    private RollupRepair() {
    }

    /**
     * Rolls up raw blocks no rollup excerpt covers: those written just before a crash (kill -9
     * between a block and its rollups), or by a version without rollups.
     */
    static void run(SegmentStore segments, RollupStore rollups) {
        run(segments, rollups, new RollupWriter());
    }

    /** As above, with the writer given (tests: a small excerpt limit, a crash midway). */
    static void run(SegmentStore segments, RollupStore rollups, RollupWriter w) {
        RollupCoverage covered = rollups.coverage(Long.MAX_VALUE);
        List<BlockHeader> todo = new ArrayList<>();
        for (BlockHeader h : segments.directory()) {
            if (!covered.covers(h.index())) {
                todo.add(h);
            }
        }
        if (todo.isEmpty()) {
            return;
        }
        todo.sort((a, b) -> Long.compare(a.index(), b.index()));
        long from = -1;
        try (SegmentStore.Reader reader = segments.reader()) {
            for (BlockHeader h : todo) {
                from = from < 0 ? h.index() : from;
                dev.sandglass.storage.segment.Block b = reader.read(h);
                int[] refs = b.refs();
                b.prepare(refs);
                for (int i = 0; i < refs.length; i++) {
                    double[] v = b.values(i);
                    w.add(refs[i], b.timestamps(i), v, 0, v.length);
                }
                if (w.entries() > 1_000_000) {
                    w.flush(rollups, from, h.index());
                    from = -1;
                }
            }
        }
        w.flush(rollups, from, todo.get(todo.size() - 1).index());
        LOG.info("rolled up {} raw blocks that had no rollups", todo.size());
    }
}
