package dev.sandglass.web.remote;

/**
 * Limits of the write endpoints: {@code otlpMaxBody} and {@code remoteWriteMaxBody} bound a body
 * both as sent and once decompressed; {@code disabled} turns every write endpoint off.
 */
public record WriteOptions(long otlpMaxBody, long remoteWriteMaxBody, boolean disabled) {
    public static final long DEFAULT_OTLP_MAX_BODY = 16L << 20;
    public static final long DEFAULT_REMOTE_WRITE_MAX_BODY = 32L << 20;

    public static WriteOptions defaults() {
        return new WriteOptions(DEFAULT_OTLP_MAX_BODY, DEFAULT_REMOTE_WRITE_MAX_BODY, false);
    }
}
