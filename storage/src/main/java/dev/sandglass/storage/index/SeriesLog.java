package dev.sandglass.storage.index;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.encoding.Checksum;
import dev.sandglass.storage.segment.Damage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.ObjLongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code index/series.log}: every series added, written before it goes into the Chronicle Map and
 * before any sample naming its ref is written anywhere, as records {@code u32 length, u32 CRC32C of the payload, payload = u32 ref, label text (UTF-8)}.
 * The map is the fast lookup; this log is what a damaged map (torn, scribbled, cut short by a
 * kill during growth) is rebuilt from, and what tells a scribbled map entry from a real one. A
 * damaged record ends the log: what comes before is kept, the file is copied aside, and the log is
 * cut there (by a writer) to be completed from the map. Records are batched: {@link #add} encodes
 * into a buffer, {@link #flush} writes the batch in one write (the store flushes before every
 * commit, so a batch of new series costs one system call, not one each).
 */
final class SeriesLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SeriesLog.class);
    static final String FILE = "series.log";
    private static final int MAX_RECORD = 1 << 20;

    /** The pending buffer is kept up to this size between batches (an import may grow it far past). */
    private static final int KEEP_BUFFER = 1 << 20;

    private final Path file;
    private final FileChannel ch;
    private boolean damaged;
    /** Records added since the last flush: a whole batch of new series costs one write. */
    private byte[] pending = new byte[64 << 10];
    private int pendingLen;
    private int pendingRecords;

    private SeriesLog(Path file, FileChannel ch) {
        this.file = file;
        this.ch = ch;
    }

    /**
     * Hands every good record to {@code into} (label text, ref), in the order written, and opens the
     * log for appending after its last good record. {@link #damaged()} tells whether it was cut.
     */
    static SeriesLog open(Path dir, Damage damage, ObjLongConsumer<String> into) throws IOException {
        Path file = dir.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long size = ch.size();
            long good = read(file, ch, into, damage, false);
            if (good < size) {
                ch.truncate(good);
            }
            ch.position(good);
            SeriesLog log = new SeriesLog(file, ch);
            log.damaged = good < size;
            return log;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Reads the log without opening it for writing; true when it exists, holds at least one series
     * and was read to its end without damage. The log is written before the map (and completed from
     * the map at every writable open), so such a log names every series the map does.
     */
    static boolean readOnly(Path dir, Damage damage, ObjLongConsumer<String> into) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel r = FileChannel.open(file, StandardOpenOption.READ)) {
            long[] records = {0};
            boolean whole = read(file, r, (text, ref) -> {
                records[0]++;
                into.accept(text, ref);
            }, damage, true) == r.size();
            return whole && records[0] > 0;
        }
    }

    /** Whether the open found a damaged record and cut the log there. */
    boolean damaged() {
        return damaged;
    }

    /** Reads every good record; returns the offset after the last one. */
    private static long read(Path file, FileChannel ch, ObjLongConsumer<String> into, Damage damage, boolean readOnly) throws IOException {
        long size = ch.size();
        // Read in large slices: a million series are tens of megabytes of log.
        ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.limit(0);
        long bufAt = 0;
        long pos = 0;
        long kept = 0;
        String why = null;
        while (pos < size) {
            if (size - pos < 8) {
                why = "record header cut short";
                break;
            }
            if (pos + 8 > bufAt + buf.limit()) {
                bufAt = fill(ch, buf, pos, 8);
            }
            int len = buf.getInt((int) (pos - bufAt));
            int crc = buf.getInt((int) (pos - bufAt) + 4);
            if (len < 4 || len > MAX_RECORD || pos + 8 + len > size) {
                why = "record length " + len + " does not fit";
                break;
            }
            if (pos + 8 + len > bufAt + buf.limit()) {
                if (8 + len > buf.capacity()) {
                    buf = ByteBuffer.allocate(8 + len).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                }
                bufAt = fill(ch, buf, pos, 8 + len);
            }
            byte[] b = buf.array();
            int at = (int) (pos - bufAt) + 8;
            if (Checksum.crc32c(b, at, len) != crc) {
                why = "checksum mismatch";
                break;
            }
            long ref = Integer.toUnsignedLong(Checksum.getInt(b, at));
            into.accept(new String(b, at + 4, len - 4, StandardCharsets.UTF_8), ref);
            kept++;
            pos += 8 + len;
        }
        if (why != null) {
            LOG.error("series index log {} is damaged at byte {} ({}): the {} series before it are kept{}", file, pos, why, kept,
                    readOnly ? "" : "; a copy of the file is set aside in " + damage.dir() + " and the log is completed from the map");
            if (!readOnly) {
                damage.copyAside(file.toFile());
            }
        }
        return pos;
    }

    /** Reads from {@code pos} into {@code buf} (at least {@code need} bytes, as the file has them); returns pos. */
    private static long fill(FileChannel ch, ByteBuffer buf, long pos, int need) throws IOException {
        buf.clear();
        while (buf.position() < need) {
            if (ch.read(buf, pos + buf.position()) < 0) {
                break;
            }
        }
        buf.flip();
        return pos;
    }

    /**
     * Adds one series' record to the pending batch (nothing is written yet): the label text is
     * encoded straight from the label set, without an intermediate String.
     */
    void add(long ref, Labels labels) {
        int start = pendingLen;
        reserve(12);
        pendingLen += 12;
        for (int i = 0; i < labels.size(); i++) {
            text(labels.name(i));
            text(labels.value(i));
        }
        seal(start, ref);
    }

    /** As {@link #add(long, Labels)} for a series known by its canonical label text. */
    void add(long ref, String labelText) {
        int start = pendingLen;
        byte[] b = labelText.getBytes(StandardCharsets.UTF_8);
        reserve(12 + b.length);
        System.arraycopy(b, 0, pending, start + 12, b.length);
        pendingLen += 12 + b.length;
        seal(start, ref);
    }

    /** Length and checksum of the record begun at {@code start}. */
    private void seal(int start, long ref) {
        int payload = pendingLen - start - 8;
        if (payload > MAX_RECORD) {
            pendingLen = start;
            throw new StorageException("series of " + payload + " bytes is too large for the series index log (at most " + MAX_RECORD + ")");
        }
        Checksum.putInt(pending, start, payload);
        Checksum.putInt(pending, start + 8, (int) ref);
        Checksum.putInt(pending, start + 4, Checksum.crc32c(pending, start + 8, payload));
        pendingRecords++;
    }

    /** One name or value as {@code length:text} (length in chars, as LabelText writes it; text UTF-8). */
    private void text(String s) {
        int n = s.length();
        reserve(11 + 3 * n);
        byte[] b = pending;
        int at = pendingLen;
        if (n < 10) {
            b[at++] = (byte) ('0' + n);
        } else {
            String len = Integer.toString(n);
            for (int i = 0; i < len.length(); i++) {
                b[at++] = (byte) len.charAt(i);
            }
        }
        b[at++] = ':';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                byte[] utf8 = s.substring(i).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(utf8, 0, b, at, utf8.length);
                at += utf8.length;
                break;
            }
            b[at++] = (byte) c;
        }
        pendingLen = at;
    }

    private void reserve(int more) {
        if (pendingLen + more > pending.length) {
            pending = java.util.Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLen + more));
        }
    }

    /** Records added and not yet written. */
    int pendingRecords() {
        return pendingRecords;
    }

    /** Bytes of the records added and not yet written. */
    int pendingBytes() {
        return pendingLen;
    }

    /**
     * Writes every pending record in one write; durable against a process crash once it returns
     * (the page cache has it). On failure the file is cut back to where it was and the records stay
     * pending, to be written by the next flush: a ref handed out is never handed out again.
     */
    void flush() {
        if (pendingLen == 0) {
            return;
        }
        long before = -1;
        try {
            before = ch.position();
            ByteBuffer bb = ByteBuffer.wrap(pending, 0, pendingLen);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
        } catch (IOException e) {
            try {
                if (before >= 0) {
                    ch.truncate(before);
                    ch.position(before);
                }
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw new StorageException("append " + pendingRecords + " series to series index log " + file + ": " + e.getMessage(), e);
        }
        pendingLen = 0;
        pendingRecords = 0;
        if (pending.length > KEEP_BUFFER) {
            pending = new byte[KEEP_BUFFER];
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
