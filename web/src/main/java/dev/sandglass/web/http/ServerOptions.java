package dev.sandglass.web.http;

/**
 * How the HTTP server admits requests: size and time limits, TLS and basic authentication
 * (--web.config.file; null for neither), and whether anything but reading is allowed.
 */
public record ServerOptions(HttpLimits limits, WebConfig web, boolean readOnly) {
    public static ServerOptions defaults() {
        return new ServerOptions(HttpLimits.defaults(), null, false);
    }

    public ServerOptions withLimits(HttpLimits l) {
        return new ServerOptions(l, web, readOnly);
    }
}
