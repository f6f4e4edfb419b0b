package dev.sandglass.storage.api;

/**
 * The file system holding the store has too little free space to write safely. Nothing was
 * written: the caller may retry the same write once space is freed. The message is the same for
 * every refusal on one directory, so callers can log it once.
 */
public final class DiskFullException extends StorageException {
    private final long usableBytes;
    private final long neededBytes;

    public DiskFullException(String message, long usableBytes, long neededBytes) {
        super(message);
        this.usableBytes = usableBytes;
        this.neededBytes = neededBytes;
    }

    public long usableBytes() {
        return usableBytes;
    }

    public long neededBytes() {
        return neededBytes;
    }
}
