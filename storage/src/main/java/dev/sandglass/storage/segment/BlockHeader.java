package dev.sandglass.storage.segment;

import java.util.Arrays;

/**
 * What the store keeps in memory of a sealed block: where it is, its time range, the WAL index it
 * covers, and its series (sorted, for a binary search). Bodies stay on disk until queried.
 */
public record BlockHeader(long index, int cycle, long minT, long maxT, long walCheckpoint, int[] sortedRefs, int bytes) {
    public boolean has(int ref) {
        return Arrays.binarySearch(sortedRefs, ref) >= 0;
    }

    /** Parses the header part of a block (its first {@code headerBytes.length} bytes). */
    static BlockHeader parse(long index, int cycle, byte[] header, int totalBytes) {
        Block b = Block.headerOnly(header);
        int[] refs = b.refs().clone();
        Arrays.sort(refs);
        return new BlockHeader(index, cycle, b.minT(), b.maxT(), b.walCheckpoint(), refs, totalBytes);
    }
}
