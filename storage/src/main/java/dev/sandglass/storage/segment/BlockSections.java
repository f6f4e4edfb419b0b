package dev.sandglass.storage.segment;

import dev.sandglass.storage.encoding.CorruptBlockException;
import net.openhft.chronicle.bytes.Bytes;

/**
 * Copies chosen sections of a stored block out of the queue file (its excerpt, being read) into
 * a partial {@link Block}: the sections follow the header one after the other, each {@code flag,
 * raw length, stored length} as varints and then its bytes, so the ones wanted are found by
 * reading the small section heads alone.
 */
final class BlockSections {
    private BlockSections() {
    }

    /** Copies sections {@code missing} (ascending) of the block at {@code b}'s read position into {@code block}, one array for them all. */
    static void copy(Bytes<?> b, Block block, int[] missing, String name) {
        long base = b.readPosition();
        long end = base + b.readRemaining();
        long[] from = new long[missing.length];
        long[] to = new long[missing.length];
        long total = 0;
        long p = base + block.headerLength();
        int next = 0;
        for (int s = 0; s < block.sectionCount() && next < missing.length; s++) {
            long after = skip(b, p, end, name);
            if (s == missing[next]) {
                from[next] = p;
                to[next] = after;
                total += after - p;
                next++;
            }
            p = after;
        }
        if (next < missing.length) {
            throw new CorruptBlockException("block " + name + " has fewer sections than its header lists");
        }
        byte[] copy = new byte[(int) total];
        int at = 0;
        for (int i = 0; i < missing.length; i++) {
            int n = (int) (to[i] - from[i]);
            b.readPosition(from[i]);
            b.read(copy, at, n);
            block.supply(missing[i], copy, at);
            at += n;
        }
    }

    /** Where the section starting at {@code p} ends. */
    private static long skip(Bytes<?> b, long p, long end, String name) {
        long q = p + 1; // the compression flag
        long stored = 0;
        for (int field = 0; field < 2; field++) {
            long v = 0;
            int shift = 0;
            while (true) {
                if (q >= end || shift > 63) {
                    throw new CorruptBlockException("block " + name + ": section head at " + p + " runs past the block");
                }
                int x = b.readUnsignedByte(q++);
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    break;
                }
                shift += 7;
            }
            stored = v; // the second field is the stored length
        }
        long after = q + stored;
        if (stored < 0 || after > end) {
            throw new CorruptBlockException("block " + name + ": section at " + p + " runs past the end (" + after + " > " + end + ")");
        }
        return after;
    }
}
