package dev.sandglass.query.sandbox;

/** No sample of the named sandbox is stored in the range asked for (HTTP 404). */
public final class UnknownSandboxException extends RuntimeException {
    private final String sandbox;

    public UnknownSandboxException(String sandbox, String where) {
        super("unknown sandbox \"" + sandbox + "\": " + where);
        this.sandbox = sandbox;
    }

    public String sandbox() {
        return sandbox;
    }
}
