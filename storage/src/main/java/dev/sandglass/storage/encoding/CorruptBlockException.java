package dev.sandglass.storage.encoding;

import dev.sandglass.storage.api.StorageException;

/** Stored bytes that do not decode: names what and where. */
public final class CorruptBlockException extends StorageException {
    public CorruptBlockException(String message) {
        super(message);
    }
}
