package dev.sandglass.storage.segment;

import dev.sandglass.storage.encoding.Checksum;
import dev.sandglass.storage.encoding.CorruptBlockException;
import dev.sandglass.storage.util.CycleFiles;
import java.io.File;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * The checksums of a {@link SegmentStore}'s blocks, each checked the first time this process
 * reads it; a block that fails is taken out of the directory and set aside.
 */
final class BlockChecks {
    private final SingleChronicleQueue queue;
    private final List<BlockHeader> directory;
    private final Damage damage;
    /** Blocks whose checksum was checked by this process. */
    private final Set<Long> verified = ConcurrentHashMap.newKeySet();

    BlockChecks(SingleChronicleQueue queue, List<BlockHeader> directory, Damage damage) {
        this.queue = queue;
        this.directory = directory;
        this.damage = damage;
    }

    /** Whether the block at {@code index} was checked by this process. */
    boolean verified(long index) {
        return verified.contains(index);
    }

    /**
     * Checks a block's checksum the first time this process reads it (blocks never change once
     * written, so once is enough and the query path pays it once). A mismatch sets the block
     * aside, so no answer includes it from now on, and fails the read naming file and offset.
     */
    void verify(BlockHeader h, byte[] bytes, long at) {
        if (bytes.length == 0 || bytes[0] != BlockWriter.VERSION || verified.contains(h.index())) {
            return;
        }
        if (!Checksum.trailerMatches(bytes, bytes.length)) {
            File f = CycleFiles.file(queue, h.cycle());
            String where = "block " + Long.toHexString(h.index()) + " at byte " + at + " of " + f;
            directory.remove(h);
            damage.setAside(h.index(), where + ": checksum mismatch");
            damage.copyAside(f);
            throw new CorruptBlockException(where + " is corrupt (checksum mismatch): it is set aside (" + damage.dir()
                    + ") and left out of answers from now on");
        }
        verified.add(h.index());
    }
}
