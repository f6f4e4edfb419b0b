package dev.sandglass.web.cli;

import dev.sandglass.web.http.HttpLimits;
import dev.sandglass.web.http.ServerOptions;
import dev.sandglass.web.http.WebConfig;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/** Who may reach the server: the web config, read-only mode, and a warning when that is anyone. */
final class Access {
    private Access() {
    }

    static ServerOptions serverOptions(String host, Path webConfigFile, boolean readOnly, long readTimeoutMs, PrintStream warnings) {
        WebConfig web = webConfigFile == null ? null : WebConfig.load(webConfigFile);
        if (!loopback(host)) {
            if (web == null) {
                warnings.println("WARNING: listening on " + host + " without --web.config.file: anyone who can reach this address"
                        + " can read every stored metric and run any query, unauthenticated and unencrypted");
            } else if (web.users().isEmpty() || !web.tls()) {
                warnings.println("WARNING: listening on " + host + " with " + (web.tls() ? "TLS but no basic_auth_users: anyone who"
                        + " can reach this address can read every stored metric" : "no tls_server_config: passwords and metrics cross"
                        + " the network unencrypted"));
            }
        }
        return new ServerOptions(HttpLimits.defaults().withReadTimeoutMs(readTimeoutMs), web, readOnly);
    }

    static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
