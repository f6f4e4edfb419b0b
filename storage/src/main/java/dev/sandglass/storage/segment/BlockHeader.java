package dev.sandglass.storage.segment;

import dev.sandglass.storage.util.RefSet;
import java.util.Arrays;

/**
 * What the store keeps in memory of a sealed block: where it is, its time range, the WAL index it
 * covers, and its series (as runs of refs where they come in runs: see {@link RefSet}). Bodies
 * stay on disk until queried.
 */
public record BlockHeader(long index, int cycle, long minT, long maxT, long walCheckpoint, RefSet refs, int bytes) {
    public boolean has(int ref) {
        return refs.has(ref);
    }

    /** Parses the header part of a block (its first {@code headerBytes.length} bytes). */
    static BlockHeader parse(long index, int cycle, byte[] header, int totalBytes) {
        Block b = Block.headerOnly(header);
        int[] refs = b.refs().clone();
        Arrays.sort(refs);
        return new BlockHeader(index, cycle, b.minT(), b.maxT(), b.walCheckpoint(), RefSet.ofSorted(refs), totalBytes);
    }
}
