package dev.sandglass.storage.segment;

import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.util.CycleFiles;
import java.io.File;
import java.util.List;
import java.util.Set;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a {@link SegmentStore}'s directory at open from the blocks' headers only, not their
 * bodies: skips blocks set aside as damaged and unreadable ones, and copies a cycle file that
 * cannot be read to its end aside before going on with the next. Logs as the store does.
 */
final class SegmentScan {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentStore.class);

    private final SingleChronicleQueue queue;
    private final Damage damage;

    private SegmentScan(SingleChronicleQueue queue, Damage damage) {
        this.queue = queue;
        this.damage = damage;
    }

    /** Adds the header of every readable block of {@code queue} to {@code directory}, oldest first. */
    static void scan(SingleChronicleQueue queue, Damage damage, List<BlockHeader> directory) {
        new SegmentScan(queue, damage).scan(directory);
    }

    private void scan(List<BlockHeader> directory) {
        Set<Long> setAside = damage.setAsideBlocks();
        try (ExcerptTailer tailer = queue.createTailer()) {
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        if (skipToNextCycle(tailer)) {
                            continue;
                        }
                        break;
                    }
                    if (setAside.contains(dc.index())) {
                        continue;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    int total = (int) b.readRemaining();
                    try {
                        int version = b.readByte();
                        long headerLen = b.readLong();
                        if (!BlockWriter.knownVersion(version) || headerLen < 9 || headerLen > total) {
                            throw new StorageException("bad block header (version " + version + ", header " + headerLen + " of " + total + " bytes)");
                        }
                        byte[] header = new byte[(int) headerLen];
                        header[0] = (byte) version;
                        for (int i = 0; i < 8; i++) {
                            header[1 + i] = (byte) (headerLen >>> (8 * i));
                        }
                        b.read(header, 9, (int) headerLen - 9);
                        directory.add(BlockHeader.parse(dc.index(), tailer.cycle(), header, total));
                    } catch (RuntimeException e) {
                        // A damaged block is skipped, never fatal for the rest of the store.
                        LOG.warn("skipping unreadable block at index {} in {}: {}", Long.toHexString(dc.index()), queue.file(), e.getMessage());
                    }
                } catch (RuntimeException e) {
                    // Chronicle cannot read on in this cycle file (a torn or scribbled excerpt header).
                    if (!skipToNextCycle(tailer)) {
                        LOG.warn("segments in {}: stopped reading at index {}: {}", queue.file(), Long.toHexString(tailer.index()), e.toString());
                        break;
                    }
                }
            }
        }
    }

    /**
     * When the tailer stopped before the last cycle file, the file it stopped in is damaged (an
     * intact one ends with an end-of-file marker that moves the tailer on): keep what was read of
     * it, copy it aside and go on with the next file. False when there is no next file.
     */
    private boolean skipToNextCycle(ExcerptTailer tailer) {
        int cycle = tailer.cycle();
        if (cycle >= queue.lastCycle()) {
            return false;
        }
        int next;
        try {
            next = queue.nextCycle(cycle, TailerDirection.FORWARD);
        } catch (java.text.ParseException | RuntimeException e) {
            return false;
        }
        if (next <= cycle) {
            return false;
        }
        File f = CycleFiles.file(queue, cycle);
        LOG.error("segment file {} is damaged after block index {}: blocks before it are kept, a copy of the file is set aside in {},"
                + " reading goes on with the next file", f, Long.toHexString(tailer.index()), damage.dir());
        damage.copyAside(f);
        return tailer.moveToCycle(next);
    }
}
