package dev.sandglass.web.remote;

/** Unix ms as the seconds Prometheus's API writes: "1700000000.123", "1700000000". */
final class PromTime {
    private PromTime() {
    }

    static String seconds(long ms) {
        return dev.sandglass.web.api.PromFormat.timestamp(ms);
    }
}
