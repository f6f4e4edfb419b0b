package dev.sandglass.storage.index;

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
 * {@code index/series.log}: every series added, appended before it goes into the Chronicle Map,
 * as records {@code u32 length, u32 CRC32C of the payload, payload = u32 ref, label text (UTF-8)}.
 * The map is the fast lookup; this log is what a damaged map (torn, scribbled, cut short by a
 * kill during growth) is rebuilt from, and what tells a scribbled map entry from a real one. A
 * damaged record ends the log: what comes before is kept, the file is copied aside, and the log is
 * cut there (by a writer) to be completed from the map.
 */
final class SeriesLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SeriesLog.class);
    static final String FILE = "series.log";
    private static final int MAX_RECORD = 1 << 20;

    private final Path file;
    private final FileChannel ch;
    private boolean damaged;

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

    /** Appends one series; durable against a process crash once it returns (the page cache has it). */
    void append(long ref, String labelText) {
        byte[] text = labelText.getBytes(StandardCharsets.UTF_8);
        byte[] rec = new byte[8 + 4 + text.length];
        Checksum.putInt(rec, 0, 4 + text.length);
        Checksum.putInt(rec, 8, (int) ref);
        System.arraycopy(text, 0, rec, 12, text.length);
        Checksum.putInt(rec, 4, Checksum.crc32c(rec, 8, 4 + text.length));
        try {
            ByteBuffer bb = ByteBuffer.wrap(rec);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
        } catch (IOException e) {
            throw new StorageException("append to series index log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
