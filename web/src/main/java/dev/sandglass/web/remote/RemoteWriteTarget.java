package dev.sandglass.web.remote;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where and how one remote-write sender sends: the URL, optional basic auth (password read from a
 * file) or bearer token (read from a file at every request, so a rotated token is picked up), and
 * extra headers; backoff between {@code minBackoffMs} and {@code maxBackoffMs}.
 */
public record RemoteWriteTarget(URI url, String basicAuthUser, Path basicAuthPasswordFile, Path bearerTokenFile,
        Map<String, String> headers, long minBackoffMs, long maxBackoffMs, int maxSamplesPerSend) {
    public RemoteWriteTarget {
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("--remote-write needs an http:// or https:// URL, got " + url);
        }
        if (basicAuthUser != null && bearerTokenFile != null) {
            throw new IllegalArgumentException("choose basic auth or a bearer token for --remote-write, not both");
        }
        headers = Map.copyOf(headers);
    }

    public static RemoteWriteTarget of(String url) {
        return new RemoteWriteTarget(URI.create(url), null, null, null, Map.of(), 100, 5_000, 2_000);
    }
}
