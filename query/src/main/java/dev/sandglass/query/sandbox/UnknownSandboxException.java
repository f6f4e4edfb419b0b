package dev.sandglass.query.sandbox;

/** The named sandbox has no sample in the range asked for, or is not running where that is needed (HTTP 404). */
public final class UnknownSandboxException extends RuntimeException {
    private final String sandbox;

    public UnknownSandboxException(String sandbox, String where) {
        this(sandbox, "unknown sandbox \"" + sandbox + "\": " + where, true);
    }

    private UnknownSandboxException(String sandbox, String message, boolean unused) {
        super(message);
        this.sandbox = sandbox;
    }

    /** Known, but stopped: there are no current values to show. */
    public static UnknownSandboxException notRunning(String sandbox, String lastSeen) {
        return new UnknownSandboxException(sandbox, "sandbox \"" + sandbox + "\" is not running (stopped; last seen " + lastSeen
                + "); its history is still stored", true);
    }

    public String sandbox() {
        return sandbox;
    }
}
