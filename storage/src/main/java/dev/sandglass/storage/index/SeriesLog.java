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
import java.util.Map;
import java.util.TreeMap;
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

    private SeriesLog(Path file, FileChannel ch) {
        this.file = file;
        this.ch = ch;
    }

    /**
     * Reads the log into {@code into} (ref to label text) and, unless read-only, opens it for
     * appending after its last good record. A read-only open of a store without a log reads nothing.
     */
    static SeriesLog open(Path dir, boolean readOnly, Damage damage, Map<Long, String> into) throws IOException {
        Path file = dir.resolve(FILE);
        if (readOnly) {
            readOnly(dir, damage, into);
            return null;
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long good = read(file, ch, into, damage, false);
            if (good < ch.size()) {
                ch.truncate(good);
            }
            ch.position(good);
            return new SeriesLog(file, ch);
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
    static boolean readOnly(Path dir, Damage damage, Map<Long, String> into) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel r = FileChannel.open(file, StandardOpenOption.READ)) {
            int before = into.size();
            return read(file, r, into, damage, true) == r.size() && into.size() > before;
        }
    }

    /** Reads every good record; returns the offset after the last one. */
    private static long read(Path file, FileChannel ch, Map<Long, String> into, Damage damage, boolean readOnly) throws IOException {
        long size = ch.size();
        ByteBuffer head = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long pos = 0;
        Map<Long, String> found = new TreeMap<>();
        String why = null;
        while (pos < size) {
            head.clear();
            if (size - pos < 8 || ch.read(head, pos) < 8) {
                why = "record header cut short";
                break;
            }
            int len = head.getInt(0);
            int crc = head.getInt(4);
            if (len < 4 || len > MAX_RECORD || pos + 8 + len > size) {
                why = "record length " + len + " does not fit";
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(len);
            ch.read(body, pos + 8);
            byte[] b = body.array();
            if (Checksum.crc32c(b, 0, len) != crc) {
                why = "checksum mismatch";
                break;
            }
            long ref = Integer.toUnsignedLong(Checksum.getInt(b, 0));
            found.put(ref, new String(b, 4, len - 4, StandardCharsets.UTF_8));
            pos += 8 + len;
        }
        if (why != null) {
            LOG.error("series index log {} is damaged at byte {} ({}): the {} series before it are kept{}", file, pos, why, found.size(),
                    readOnly ? "" : "; a copy of the file is set aside in " + damage.dir() + " and the log is completed from the map");
            if (!readOnly) {
                damage.copyAside(file.toFile());
            }
        }
        into.putAll(found);
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
