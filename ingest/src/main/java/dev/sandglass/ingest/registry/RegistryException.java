package dev.sandglass.ingest.registry;

/** Why the registry cannot be read right now; the message says what to do. */
public final class RegistryException extends RuntimeException {
    public enum Kind { NOT_FOUND, ACCESS_DENIED, BAD_HEADER, NOT_READY, IO }

    private final Kind kind;

    public RegistryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RegistryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
