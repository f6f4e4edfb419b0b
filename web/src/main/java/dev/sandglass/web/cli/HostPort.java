package dev.sandglass.web.cli;

/** A listen address: {@code 127.0.0.1:9470}, {@code [::1]:9470} or {@code :9470} (loopback). */
record HostPort(String host, int port) {
    static HostPort parse(String s) {
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--listen must be HOST:PORT, got \"" + s + "\"");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            host = "127.0.0.1";
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen port must be a number, got \"" + s.substring(colon + 1) + "\"");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--listen port must be 0..65535, got " + port);
        }
        return new HostPort(host, port);
    }

    String display() {
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
