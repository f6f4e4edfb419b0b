package dev.sandglass.storage.wal;

import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.encoding.Checksum;
import dev.sandglass.storage.encoding.Varints;
import dev.sandglass.storage.segment.Damage;
import dev.sandglass.storage.util.DiskSpace;
import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log: one Chronicle Queue excerpt per committed batch, in five-minute cycle
 * files that are deleted once sealed. An excerpt is the count, a base timestamp, then per sample
 * the series ref (varint), the timestamp's difference to the base (zigzag varint) and the raw
 * 8 value bytes. A memory-mapped write survives the death of the process once it returns.
 */
public final class Wal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Wal.class);
    private static final long PAGE = 4096;
    /** Pre-faulting stops this far ahead whatever the excerpts' size (a huge batch is rare). */
    private static final long MAX_PREFAULT = 8L << 20;

    /** Receives replayed samples. */
    @FunctionalInterface
    public interface Sink {
        void sample(int ref, long t, double v);
    }

    private final SingleChronicleQueue queue;
    private final Damage damage;
    private long damagedExcerpts;
    /** Checked before every write to the mapping; null when read-only. */
    private final DiskSpace space;
    private final Varints.Out buf = new Varints.Out(1 << 16);
    private ExcerptAppender appender;
    private boolean closed;
    /** Bytes of the largest excerpt written: how far ahead {@link #prefault()} reaches. */
    private long largestExcerpt;

    public Wal(Path dir, boolean readOnly) {
        this(dir, readOnly, readOnly ? null : new DiskSpace(dir, DiskSpace.DEFAULT_RESERVE));
    }

    public Wal(Path dir, boolean readOnly, DiskSpace space) {
        this.space = space;
        this.damage = new Damage(dir.toAbsolutePath().getParent().resolve("damaged"), readOnly);
        queue = SingleChronicleQueueBuilder.single(dir.toFile())
                .rollCycle(RollCycles.FIVE_MINUTELY)
                // The file system allocates pages on first touch; prefault() pays that between
                // commits and reaches into the next block through the mapping's 512 KB overlap.
                // 16 and 64 MB blocks measured within noise of this once pre-faulted, and 2 MB keeps
                // a cycle file's apparent size (block + overlap, counted by size retention) small.
                .blockSize(2L << 20)
                .readOnly(readOnly)
                .build();
    }

    /** First byte of an excerpt with a checksum; bytes 1-4 are the CRC32C of the payload from {@link #HEADER} on. */
    static final int CHECKSUMMED = 0;
    static final int HEADER = 9;

    /** Samples per excerpt at most: keeps every excerpt well inside one queue block. */
    static final int MAX_EXCERPT_SAMPLES = 16_384;

    /** Writes one batch (as one excerpt, or several for a very large batch); returns the last index. */
    public synchronized long append(int[] refs, long[] ts, double[] vs, int n) {
        if (space != null) {
            // Worst case per sample (5-byte ref, 10-byte delta, 8 value bytes), and index arrays.
            space.ensure(23L * n + (64 << 10));
        }
        long index = -1;
        for (int from = 0; from < n || from == 0; from += MAX_EXCERPT_SAMPLES) {
            index = appendExcerpt(refs, ts, vs, from, Math.min(n, from + MAX_EXCERPT_SAMPLES));
            if (n == 0) {
                break;
            }
        }
        return index;
    }

    private long appendExcerpt(int[] refs, long[] ts, double[] vs, int from, int to) {
        if (appender == null) {
            appender = queue.createAppender();
        }
        buf.reset();
        long base = to > from ? ts[from] : 0;
        // A 0 byte (no excerpt of the first format starts with one: its count is never 0), then
        // the CRC32C of the payload, patched in below.
        buf.byte1(CHECKSUMMED);
        buf.long8(0);
        buf.uvarint(to - from);
        buf.svarint(base);
        for (int i = from; i < to; i++) {
            buf.uvarint(refs[i]);
            buf.svarint(ts[i] - base);
            buf.long8(Double.doubleToRawLongBits(vs[i]));
        }
        Checksum.putInt(buf.array(), 1, Checksum.crc32c(buf.array(), HEADER, buf.length() - HEADER));
        largestExcerpt = Math.max(largestExcerpt, buf.length());
        // Appends are serialised by this object's monitor, but several sources (registry, scrape
        // targets, VMMs, agents) commit from their own threads: let Chronicle's one-thread check
        // follow the thread that holds the monitor now.
        appender.singleThreadedCheckReset();
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(buf.array(), 0, buf.length());
            return dc.index();
        } catch (RuntimeException e) {
            throw new StorageException("write to WAL " + queue.file() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes the pages the next two excerpts will land on resident and writable, so the file
     * system's first-touch cost (on ext4 a page fault allocates the file block) is paid here and
     * not inside a commit. A compare-and-swap of 0 with 0 faults a page in for writing without
     * changing any byte, so it can never overwrite what Chronicle wrote. Runs on the WAL's monitor,
     * as appends do: nothing else touches the appender's mapping, which Chronicle may unmap on a
     * chunk or cycle change. Pages beyond the mapped chunk and its overlap are left to the write.
     */
    public synchronized void prefault() {
        if (closed || appender == null) {
            return;
        }
        appender.singleThreadedCheckReset();
        Wire wire = appender.wire();
        if (wire == null) {
            return;
        }
        Bytes<?> bytes = wire.bytes();
        BytesStore<?, ?> store = bytes.bytesStore();
        if (store == null) {
            return;
        }
        long pos = bytes.writePosition();
        long to = pos + Math.min(MAX_PREFAULT, 2 * largestExcerpt + PAGE);
        if (space != null && space.usable() < space.reserve() + (to - pos)) {
            return; // touching a hole now could SIGBUS; the next append refuses cleanly instead
        }
        for (long page = pos & -PAGE; page < to && store.inside(page, 8); page += PAGE) {
            store.compareAndSwapLong(page, 0, 0);
        }
    }

    public long lastIndex() {
        return queue.lastIndex();
    }

    /** Replays every excerpt after {@code afterIndex} (-1: from the start); returns how many. */
    public long replay(long afterIndex, Sink sink) {
        long count = 0;
        try (ExcerptTailer tailer = queue.createTailer()) {
            if (afterIndex >= 0) {
                if (!tailer.moveToIndex(afterIndex)) {
                    tailer.toStart();
                } else {
                    try (DocumentContext dc = tailer.readingDocument()) {
                        // skip the checkpointed excerpt itself
                    }
                }
            }
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    if (afterIndex >= 0 && dc.index() <= afterIndex) {
                        continue;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    long at = b.readPosition();
                    byte[] raw = new byte[(int) b.readRemaining()];
                    b.read(raw);
                    int from = payloadStart(raw);
                    if (from < 0) {
                        damaged(dc.index(), at, tailer.cycle(), "checksum mismatch");
                        continue;
                    }
                    try {
                        Varints.In in = new Varints.In(raw, from, raw.length);
                        int n = (int) in.uvarint();
                        long base = in.svarint();
                        for (int i = 0; i < n; i++) {
                            int ref = (int) in.uvarint();
                            long t = base + in.svarint();
                            double v = Double.longBitsToDouble(in.long8());
                            sink.sample(ref, t, v);
                        }
                        count++;
                    } catch (RuntimeException e) {
                        damaged(dc.index(), at, tailer.cycle(), e.getMessage());
                    }
                }
            }
        }
        return count;
    }

    /**
     * Where an excerpt's samples start: after the checksum header when it has one that matches,
     * at 0 for an excerpt of the first format (no checksum), -1 when the checksum does not match.
     */
    static int payloadStart(byte[] raw) {
        if (raw.length > 0 && raw[0] == CHECKSUMMED) {
            if (raw.length < HEADER || Checksum.getInt(raw, 1) != Checksum.crc32c(raw, HEADER, raw.length - HEADER)) {
                return -1;
            }
            return HEADER;
        }
        return 0;
    }

    /**
     * A WAL excerpt that fails its checksum or does not decode: none of its samples is replayed
     * (a torn write is never acknowledged), the file is copied aside once, and replay goes on.
     */
    private void damaged(long index, long at, int cycle, String why) {
        File f = new File(queue.file(), fileName(queue.rollCycle(), cycle));
        LOG.error("WAL {}: excerpt {} at byte {} is damaged ({}); skipped, the excerpts around it are replayed{}", f,
                Long.toHexString(index), at, why, damage == null ? "" : "; a copy of the file is in " + damage.dir());
        if (damage != null) {
            damage.copyAside(f);
        }
        damagedExcerpts++;
    }

    /** Excerpts the last replay skipped as damaged. */
    public long damagedExcerpts() {
        return damagedExcerpts;
    }

    /** Deletes cycle files older than the one holding {@code index}: everything in them is sealed. */
    public void dropBefore(long index) {
        if (index < 0) {
            return;
        }
        RollCycle rc = queue.rollCycle();
        int cycle = rc.toCycle(index);
        String keepFrom = fileName(rc, cycle);
        File[] files = queue.file().listFiles((d, name) -> name.endsWith(SingleChronicleQueue.SUFFIX));
        if (files == null) {
            return;
        }
        boolean any = false;
        for (File f : files) {
            if (f.getName().compareTo(keepFrom) < 0) {
                any |= f.delete();
            }
        }
        if (any) {
            queue.refreshDirectoryListing();
        }
    }

    private static String fileName(RollCycle rc, int cycle) {
        return DateTimeFormatter.ofPattern(rc.format()).withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochMilli((long) cycle * rc.lengthInMillis())) + SingleChronicleQueue.SUFFIX;
    }

    /**
     * A watcher reading the excerpts after {@code position} (a WAL index; -1 for the whole log;
     * {@link Long#MAX_VALUE} for only what is appended from now on).
     */
    public WalWatcher watcher(long position) {
        return new WalWatcher(queue, position == Long.MAX_VALUE ? queue.lastIndex() : position);
    }

    /** Start of the five-minute cycle holding {@code index}, unix ms. */
    public long cycleStartMs(long index) {
        RollCycle rc = queue.rollCycle();
        return (long) rc.toCycle(index) * rc.lengthInMillis();
    }

    public File dir() {
        return queue.file();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (appender != null) {
            appender.close();
        }
        queue.close();
    }
}
