package dev.sandglass.storage;

import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.segment.BlockHeader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;

/**
 * The retention a data dir is kept with, in {@code <dir>/RETENTION} ("retention_ms N"). Nothing
 * stored is deleted without the user saying so: a retention that was not given (a default) and
 * is shorter than the recorded one is refused, as is a default that would delete data from a
 * data dir that has no record yet. A given retention is applied and recorded.
 */
final class RetentionRecord {
    static final String FILE = "RETENTION";

    private RetentionRecord() {
    }

    /** The recorded retention in ms, or -1 when none is recorded (or the record is unreadable). */
    static long read(Path dir) {
        Path f = dir.resolve(FILE);
        try {
            if (!Files.exists(f)) {
                return -1;
            }
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (line.startsWith("retention_ms ")) {
                    return Long.parseLong(line.substring(13).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unreadable: treated as no record, which still refuses a default that deletes data
        }
        return -1;
    }

    /** Throws, saying what would be deleted and how to proceed, where {@code options} may not apply. */
    static void check(DbOptions options, List<BlockHeader> blocks, long nowMs) {
        if (options.retentionGiven()) {
            return;
        }
        long recorded = read(options.dir());
        if (recorded >= 0 && options.retentionMs() >= recorded) {
            return;
        }
        long cutoff = nowMs - options.retentionMs();
        int doomed = 0;
        long oldest = Long.MAX_VALUE;
        long newest = Long.MIN_VALUE;
        for (BlockHeader h : blocks) {
            if (h.maxT() < cutoff) {
                doomed++;
                oldest = Math.min(oldest, h.minT());
                newest = Math.max(newest, h.maxT());
            }
        }
        if (recorded < 0 && doomed == 0) {
            return;
        }
        String what = doomed == 0
                ? "it would delete data as it turns " + format(options.retentionMs()) + " old (nothing yet)"
                : "it would delete " + doomed + " blocks holding samples from " + Instant.ofEpochMilli(oldest) + " to "
                        + Instant.ofEpochMilli(newest);
        String kept = recorded < 0 ? "no retention is recorded for this data dir" : "this data dir is kept with retention " + format(recorded);
        throw new StorageException("refusing the default retention " + format(options.retentionMs()) + " for " + options.dir() + ": "
                + what + ", and " + kept + "; give the retention explicitly: --retention " + format(options.retentionMs())
                + " to delete that data, or --retention " + (recorded < 0 ? "100y" : format(recorded)) + " to keep it");
    }

    /** Records the retention in force (atomically: a torn write leaves the old record). */
    static void write(Path dir, long retentionMs) {
        if (read(dir) == retentionMs) {
            return;
        }
        Path tmp = dir.resolve(FILE + ".tmp");
        try {
            Files.writeString(tmp, "retention_ms " + retentionMs + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StorageException("record retention in " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** A duration as the command line takes it: the largest unit that divides it (15d, 36h, 100y). */
    static String format(long ms) {
        long[] units = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};
        String[] names = {"y", "w", "d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (ms >= units[i] && ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }
}
