package dev.sandglass.storage;

import dev.sandglass.storage.api.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The data dir's LOCK file, held while a store writes it: a second writer fails at open. */
final class DataDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code dir}, or fails naming it when another process (or store) holds it. */
    static DataDirLock take(Path dir) throws IOException {
        Path file = dir.resolve("LOCK");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock fl;
        try {
            fl = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            fl = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (fl == null) {
            ch.close();
            throw new StorageException("data dir " + dir + " is in use by another Sandglass process (lock " + file + ")");
        }
        return new DataDirLock(ch, fl);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
