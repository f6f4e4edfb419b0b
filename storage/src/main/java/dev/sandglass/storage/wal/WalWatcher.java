package dev.sandglass.storage.wal;

import dev.sandglass.storage.encoding.Varints;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the write-ahead log from a position, as Prometheus's WAL watcher does for remote write:
 * a reader of committed batches that never holds a copy of its own. The position is a WAL index
 * (the last excerpt its owner has finished with); {@link #next} reads whole excerpts after it.
 * Not thread-safe: one watcher per reading thread.
 */
public final class WalWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalWatcher.class);

    /** Samples read: {@code refs/ts/vs[0..size)}, and the index of the last excerpt they came from. */
    public static final class Batch {
        public int[] refs = new int[1024];
        public long[] ts = new long[1024];
        public double[] vs = new double[1024];
        public int size;
        /** Index of the first and last excerpt read into this batch since it was emptied. */
        public long firstIndex = -1;
        public long lastIndex = -1;

        /** Empties the batch for the next read. */
        public void clear() {
            size = 0;
            firstIndex = -1;
            lastIndex = -1;
        }

        void add(int ref, long t, double v) {
            if (size == refs.length) {
                refs = java.util.Arrays.copyOf(refs, size * 2);
                ts = java.util.Arrays.copyOf(ts, size * 2);
                vs = java.util.Arrays.copyOf(vs, size * 2);
            }
            refs[size] = ref;
            ts[size] = t;
            vs[size] = v;
            size++;
        }
    }

    private final SingleChronicleQueue queue;
    private ExcerptTailer tailer;
    private long position;
    /** Set when the excerpt after the position was no longer in the WAL (dropped by retention). */
    private boolean gap;

    WalWatcher(SingleChronicleQueue queue, long position) {
        this.queue = queue;
        this.position = position;
    }

    /** The index of the last excerpt read by {@link #next} (or the starting position). */
    public long position() {
        return position;
    }

    /** True once if the WAL no longer held what followed the position: samples were lost to retention. */
    public boolean takeGap() {
        boolean g = gap;
        gap = false;
        return g;
    }

    private ExcerptTailer tailer() {
        if (tailer == null) {
            tailer = queue.createTailer();
            tailer.singleThreadedCheckDisabled(true); // made and used by the watcher's thread, closed by its owner's
            if (position < 0) {
                tailer.toStart();
            } else if (tailer.moveToIndex(position)) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    // the position's own excerpt was read already
                }
            } else {
                // Its cycle is gone: only a hold older than retention is let go, so that is a loss.
                tailer.toStart();
                gap = true;
            }
        }
        return tailer;
    }

    /**
     * Appends to {@code out} the samples of whole excerpts after the position until it holds at
     * least {@code maxSamples} or the log ends; returns whether any excerpt was read.
     */
    public boolean next(Batch out, int maxSamples) {
        ExcerptTailer t = tailer();
        boolean any = false;
        while (out.size < maxSamples) {
            try (DocumentContext dc = t.readingDocument()) {
                if (!dc.isPresent()) {
                    break;
                }
                Bytes<?> b = dc.wire().bytes();
                byte[] raw = new byte[(int) b.readRemaining()];
                b.read(raw);
                int from = Wal.payloadStart(raw);
                position = dc.index();
                if (from < 0) {
                    // Damaged: replay at start-up names it and sets the file aside; nothing of it is sent.
                    LOG.warn("WAL excerpt {} fails its checksum: not forwarded", Long.toHexString(position));
                    continue;
                }
                Varints.In in = new Varints.In(raw, from, raw.length);
                int n = (int) in.uvarint();
                long base = in.svarint();
                for (int i = 0; i < n; i++) {
                    int ref = (int) in.uvarint();
                    long ts = base + in.svarint();
                    out.add(ref, ts, Double.longBitsToDouble(in.long8()));
                }
                position = dc.index();
                if (out.firstIndex < 0) {
                    out.firstIndex = position;
                }
                out.lastIndex = position;
                any = true;
            }
        }
        return any;
    }

    /** The index after which a watcher starting now would read only new excerpts. */
    public static long endOf(SingleChronicleQueue queue) {
        return queue.lastIndex();
    }

    @Override
    public void close() {
        if (tailer != null) {
            tailer.close();
        }
    }
}
