package dev.sandglass.storage;

import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.segment.Block;
import dev.sandglass.storage.segment.BlockHeader;
import dev.sandglass.storage.segment.SegmentStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sparse selection's samples read from its blocks one block at a time. Over a store of churned
 * series (each series in one or two blocks, each block holding 100,000 others) a query for 14,286
 * series reads every block, and holding them all until the querier closes (~3 MB each) is what a
 * 64 MiB heap cannot: here each block is read, the selected series' samples in range copied out,
 * and the block given back before the next is read. What is kept is the selected samples, which
 * for such a selection are few.
 *
 * <p>Dense selections (every block holds most of the selected series, as in a fleet's history)
 * are not read this way: there the engine reads one series at a time from blocks held once, and
 * copying every series' samples out first would hold them all at once.
 */
final class StreamedBlocks {
    /** Up to this many blocks a selection holds them all, as before (and they stay cached for the querier's next selects). */
    static final int WINDOW = 4;
    /** Selected series' hits in blocks, per series, up to which a selection counts as sparse. */
    static final int SPARSE_HITS_PER_SERIES = 2;
    /** Most samples copied out; a selection holding more is read the usual way (the engine's sample limit then applies). */
    static final long MAX_SAMPLES = 1L << 18;

    /** One series' samples in range from the blocks, in write order, and what {@link DbQuerier#last} needs of them. */
    record Part(Samples samples, boolean inOrder, long newestBlockT) {
    }

    private StreamedBlocks() {
    }

    /**
     * Whether {@code needed} blocks holding {@code hits} selections of {@code series} series are
     * read one at a time; {@code hits} may stop counting once past the sparse bound.
     */
    static boolean worthIt(int needed, long hits, int series) {
        return needed > WINDOW && hits <= (long) SPARSE_HITS_PER_SERIES * series;
    }

    /**
     * The samples in [minT, maxT] of {@code refs} in {@code blocks} (write order), read one block at
     * a time; null (every block given back) when they hold more than {@link #MAX_SAMPLES}.
     */
    static Map<Integer, Part> read(List<BlockHeader> blocks, SegmentStore.Reader reader, int[] refs, long minT, long maxT) {
        Map<Integer, Part> parts = new HashMap<>();
        long total = 0;
        for (BlockHeader h : blocks) {
            Block b = reader.read(h, refs);
            try {
                int[] at = b.indexesOf(refs);
                for (int k = 0; k < refs.length; k++) {
                    int ref = refs[k];
                    int i = at[k];
                    if (i < 0) {
                        continue;
                    }
                    Part p = parts.get(ref);
                    Samples s = p == null ? new Samples(b.sampleCount(i)) : p.samples();
                    int seam = s.size();
                    b.appendTo(i, minT, maxT, s);
                    boolean inOrder = (p == null || p.inOrder()) && (seam == 0 || seam >= s.size() || s.timestamp(seam - 1) < s.timestamp(seam));
                    parts.put(ref, new Part(s, inOrder, h.maxT()));
                    total += s.size() - seam;
                }
            } finally {
                reader.release(h);
            }
            if (total > MAX_SAMPLES) {
                return null;
            }
        }
        return parts;
    }
}
