package dev.sandglass.storage.util;

import dev.sandglass.storage.api.DiskFullException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Free space checks before writes that go through memory-mapped files. A store on a full file
 * system must never touch an unallocated page of a mapping: the kernel answers with SIGBUS and
 * the JVM dies (exit 134, an hs_err file). Checking the file system's usable space, with a reserve
 * larger than any one write plus a new mapped chunk, before every such write turns a full disk into
 * a {@link DiskFullException} the caller can count, report and retry.
 */
public final class DiskSpace {
    /**
     * Kept free beyond each write: a WAL cycle roll maps a new 2 MB chunk and writes its header and
     * index arrays; a segment or index write may start a new chunk too.
     */
    public static final long DEFAULT_RESERVE = 8L << 20;

    private final Path dir;
    private final long reserve;
    private volatile FileStore store;

    public DiskSpace(Path dir, long reserve) {
        this.dir = dir;
        this.reserve = reserve;
    }

    /** Usable bytes on the file system of the directory (Long.MAX_VALUE when it cannot be asked). */
    public long usable() {
        try {
            FileStore s = store;
            if (s == null) {
                store = s = Files.getFileStore(dir);
            }
            return s.getUsableSpace();
        } catch (IOException | SecurityException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Throws unless {@code bytes} plus the reserve are free. */
    public void ensure(long bytes) {
        long usable = usable();
        long need = bytes + reserve;
        if (usable < need) {
            throw new DiskFullException("file system of " + dir + " is full: writes refused until space is freed", usable, need);
        }
    }

    public long reserve() {
        return reserve;
    }

    public Path dir() {
        return dir;
    }
}
