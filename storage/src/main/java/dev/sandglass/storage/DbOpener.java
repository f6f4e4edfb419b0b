package dev.sandglass.storage;

import dev.sandglass.storage.api.DiskFullException;
import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.index.SeriesIndex;
import dev.sandglass.storage.rollup.RollupStore;
import dev.sandglass.storage.segment.BlockHeader;
import dev.sandglass.storage.segment.SegmentStore;
import dev.sandglass.storage.util.DiskSpace;
import dev.sandglass.storage.wal.Wal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import net.openhft.chronicle.queue.RollCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a store and recovers it: takes the data dir's lock, opens the index, segments and
 * rollups, repairs rollups and applies retention before the WAL opens, replays the WAL written
 * since the last seal into the head, then starts the storage jobs. A failure closes what was
 * opened and names the data dir in a {@link StorageException}.
 */
final class DbOpener {
    /** Logs as the store, as before this was split out of Db. */
    private static final Logger LOG = LoggerFactory.getLogger(Db.class);

    private DbOpener() {
    }

    static Db open(DbOptions options, RollCycle segmentCycle, RollCycle rollupCycle) {
        Path dir = options.dir();
        DataDirLock dirLock = null;
        SeriesIndex index = null;
        Wal wal = null;
        SegmentStore segments = null;
        RollupStore rollups = null;
        try {
            if (options.readOnly()) {
                if (!Files.isDirectory(dir.resolve("index"))) {
                    throw new StorageException("no Sandglass data in " + dir + " (expected " + dir.resolve("index") + ")");
                }
            } else {
                Files.createDirectories(dir);
                if (!Files.isDirectory(dir.resolve("index"))) {
                    // A new store writes its files' first pages at once: on a full disk that is a SIGBUS.
                    new DiskSpace(dir, DiskSpace.DEFAULT_RESERVE).ensure(4L << 20);
                }
                dirLock = DataDirLock.take(dir);
            }
            index = new SeriesIndex(dir.resolve("index"), SeriesIndex.DEFAULT_CAPACITY, options.readOnly());
            segments = new SegmentStore(dir.resolve("segments"), options.readOnly(), segmentCycle);
            rollups = new RollupStore(dir.resolve("rollups"), options.readOnly(), rollupCycle);
            if (!options.readOnly()) {
                long now = System.currentTimeMillis();
                RetentionRecord.check(options, segments.directory(), now);
                SealedUpkeep.rollUpUncovered(segments, rollups);
                SealedUpkeep.applyRetention(options, segments, rollups, now, () -> { });
                SealedUpkeep.compactRollups(rollups);
                try {
                    RetentionRecord.write(dir, options.retentionMs());
                } catch (StorageException e) {
                    LOG.warn("{}", e.getMessage()); // a full disk: serve what is stored anyway
                }
            }
            wal = new Wal(dir.resolve("wal"), options.readOnly());
            Db db = new Db(options, dirLock, index, wal, segments, rollups);
            replayWal(db, wal, segments);
            if (!options.readOnly()) {
                db.startJobs();
            }
            return db;
        } catch (IOException | RuntimeException e) {
            closeQuietly(wal, rollups, segments, index, dirLock);
            throw failure(dir, e);
        }
    }

    /** Replays into the head the WAL written after the newest checkpoint a sealed block records. */
    private static void replayWal(Db db, Wal wal, SegmentStore segments) {
        long checkpoint = -1;
        for (BlockHeader h : segments.directory()) {
            checkpoint = Math.max(checkpoint, h.walCheckpoint());
        }
        long t0 = System.nanoTime();
        long n = wal.replay(checkpoint, db.head()::add);
        db.replayedBatches = n;
        if (n > 0) {
            LOG.info("replayed {} WAL batches ({} samples) in {} ms", n, db.head().samples(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** What a failed open tells the user: a full disk and an unwritable dir say so and what to do. */
    private static StorageException failure(Path dir, Exception e) {
        if (e instanceof DiskFullException df) {
            return new StorageException("cannot create a store in " + dir + ": its file system is full (" + df.usableBytes()
                    + " bytes usable, " + df.neededBytes() + " needed)", df);
        }
        if (e instanceof StorageException se) {
            return se;
        }
        if (e instanceof java.nio.file.AccessDeniedException || e instanceof java.nio.file.FileSystemException fse
                && fse.getReason() != null && fse.getReason().contains("Read-only")) {
            return new StorageException("cannot write the data dir " + dir + ": " + describe((IOException) e)
                    + " (give a data dir this user may write, or use the offline query commands, which only read)", e);
        }
        return new StorageException("open store in " + dir + ": " + e.getMessage(), e);
    }

    private static String describe(IOException e) {
        String reason = e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null ? fse.getReason() : "permission denied";
        String file = e instanceof java.nio.file.FileSystemException fse ? fse.getFile() : e.getMessage();
        return reason.toLowerCase(Locale.ROOT) + ": " + file;
    }

    /** Closes each of {@code cs} that is not null, in order, ignoring failures: the caller is already failing. */
    static void closeQuietly(AutoCloseable... cs) {
        for (AutoCloseable c : cs) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // already failing
                }
            }
        }
    }
}
