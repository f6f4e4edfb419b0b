package dev.sandglass.storage.api;

/** A storage failure, with the path or object it concerns in the message. */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
