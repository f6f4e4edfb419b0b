package dev.sandglass.web.http;

import io.vertx.core.http.HttpServerOptions;

/**
 * Sizes and times a request may take. The defaults are Go net/http's, which Prometheus serves
 * with: 1 MiB for the request line and headers (DefaultMaxHeaderBytes), 10 MiB for a form body
 * (ParseForm's limit); Prometheus's --web.read-timeout is 5m, ours 1m (reading a whole request
 * from loopback takes milliseconds; a half-sent one should not hold a connection for long).
 */
public record HttpLimits(int maxRequestLineBytes, int maxHeaderBytes, int maxBodyBytes, long readTimeoutMs) {
    public static final int MIB = 1 << 20;

    public HttpLimits {
        if (maxRequestLineBytes <= 0 || maxHeaderBytes <= 0 || maxBodyBytes <= 0 || readTimeoutMs <= 0) {
            throw new IllegalArgumentException("HTTP limits must be positive");
        }
    }

    public static HttpLimits defaults() {
        return new HttpLimits(MIB, MIB, 10 * MIB, 60_000);
    }

    public HttpLimits withReadTimeoutMs(long ms) {
        return new HttpLimits(maxRequestLineBytes, maxHeaderBytes, maxBodyBytes, ms);
    }

    /**
     * Netty's decoder limits; a form attribute may be as large as the whole body. Cleartext HTTP/2
     * upgrades are off: with them on, Vert.x makes the connection (and so starts our read clock)
     * only once a whole first request has arrived, so a half-sent one was never timed.
     */
    public HttpServerOptions apply(HttpServerOptions o) {
        return o.setHttp2ClearTextEnabled(false)
                .setMaxInitialLineLength(maxRequestLineBytes)
                .setMaxHeaderSize(maxHeaderBytes)
                .setMaxFormAttributeSize(maxBodyBytes)
                .setMaxFormBufferedBytes(maxBodyBytes)
                .setMaxFormFields(100_000);
    }
}
