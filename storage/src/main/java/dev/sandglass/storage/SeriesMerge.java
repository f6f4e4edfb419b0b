package dev.sandglass.storage;

import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.head.Head;
import dev.sandglass.storage.segment.Block;
import dev.sandglass.storage.segment.BlockHeader;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A querier's sources as they were when it was made (its blocks in write order, the head being
 * sealed and the head) and the merge of one series' samples from them, in time order with the
 * last write of a timestamp winning; also a series' last sample from the heads alone when that
 * is the answer. The heads are read under the store's read lock.
 */
final class SeriesMerge {
    private final ReentrantReadWriteLock lock;
    private final List<BlockHeader> blocks;
    private final Head head;
    private final Head sealing;
    private final long minT;
    private final long maxT;

    SeriesMerge(ReentrantReadWriteLock lock, List<BlockHeader> blocks, Head head, Head sealing, long minT, long maxT) {
        this.lock = lock;
        this.blocks = blocks;
        this.head = head;
        this.sealing = sealing;
        this.minT = minT;
        this.maxT = maxT;
    }

    /**
     * The last sample of {@code ref} from the heads alone, when that is the answer: the head's
     * newest sample in range is newer than every block holding the series and than the sealing
     * head's. False (out cleared) when the caller must read the range.
     */
    boolean last(int ref, Block[] loaded, StreamedBlocks.Part part, Samples out) {
        lock.readLock().lock();
        try {
            return lastLocked(ref, loaded, part, out);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** {@link #last(int, Block[], StreamedBlocks.Part, Samples)} with the read lock held. */
    boolean lastLocked(int ref, Block[] loaded, StreamedBlocks.Part part, Samples out) {
        out.clear();
        long newestBlock = part == null ? Long.MIN_VALUE : part.newestBlockT();
        for (int k = 0; k < loaded.length; k++) {
            if (loaded[k] != null && loaded[k].indexOf(ref) >= 0) {
                newestBlock = Math.max(newestBlock, blocks.get(k).maxT());
            }
        }
        if (!head.copyLast(ref, minT, maxT, out)) {
            return false;
        }
        long t = out.timestamp(0);
        if (sealing != null && sealing.copyLast(ref, t, maxT, out) && out.timestamp(1) >= t) {
            out.clear();
            return false;
        }
        if (t < newestBlock) {
            out.clear();
            return false;
        }
        return true;
    }

    /** One series' samples in range (into {@code reuse} when not null); called concurrently, after its blocks were read. */
    Samples samples(int ref, Block[] loaded, StreamedBlocks.Part part, Samples reuse) {
        // The blocks holding ref, in write order, and its position in each: looked up once.
        Block[] holding = new Block[loaded.length];
        int[] at = new int[loaded.length];
        int found = 0;
        int expected = part == null ? 0 : part.samples().size();
        for (Block b : loaded) {
            int i = b == null ? -1 : b.indexOf(ref);
            if (i >= 0) {
                holding[found] = b;
                at[found++] = i;
                expected += b.sampleCount(i);
            }
        }
        // Sized once from the blocks' counts (the head adds a little): no doubling copies.
        Samples s = reuse != null ? reuse.reset(expected + 64) : new Samples(expected + 64);
        // Each source (a block, the sealing head, the head) is in time order by itself, so the
        // whole is in order when every seam is: checking the seams saves a pass over the samples.
        boolean seamsInOrder = true;
        if (part != null) {
            Samples p = part.samples();
            s.addAll(p.timestamps(), p.values(), 0, p.size());
            seamsInOrder = part.inOrder();
        }
        for (int k = 0; k < found; k++) {
            int seam = s.size();
            holding[k].appendTo(at[k], minT, maxT, s);
            seamsInOrder &= inOrderAt(s, seam);
        }
        lock.readLock().lock();
        try {
            if (sealing != null) {
                int seam = s.size();
                sealing.copy(ref, minT, maxT, s);
                seamsInOrder &= inOrderAt(s, seam);
            }
            int seam = s.size();
            head.copy(ref, minT, maxT, s);
            seamsInOrder &= inOrderAt(s, seam);
        } finally {
            lock.readLock().unlock();
        }
        return seamsInOrder ? s : ordered(s);
    }

    /** Whether the sample before {@code seam} (if any) is older than the one at it (if any). */
    private static boolean inOrderAt(Samples s, int seam) {
        return seam == 0 || seam >= s.size() || s.timestamp(seam - 1) < s.timestamp(seam);
    }

    /** Sources were appended in write order; keep time order and the last write of each timestamp. */
    static Samples ordered(Samples s) {
        int n = s.size();
        long[] t = s.timestamps();
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) {
            sorted = t[i] > t[i - 1];
        }
        if (sorted) {
            return s;
        }
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        // Stable sort by time: among equal timestamps the last written stays last.
        Arrays.sort(idx, (a, b) -> Long.compare(t[a], t[b]));
        Samples out = new Samples(n);
        for (int k = 0; k < n; k++) {
            int i = idx[k];
            if (k + 1 < n && t[idx[k + 1]] == t[i]) {
                continue;
            }
            out.add(t[i], s.value(i));
        }
        return out;
    }
}
