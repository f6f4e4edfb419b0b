package dev.sandglass.ingest.scrape;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

/**
 * Fetches a target's body with the request Prometheus 2.42 makes: its Accept header (OpenMetrics
 * preferred, then text 0.0.4), gzip, and X-Prometheus-Scrape-Timeout-Seconds. HTTP/1.1 only (no h2c
 * upgrade header). Failures become {@link ScrapeException}s whose message says what to check.
 */
public final class ScrapeClient {
    /** A fetched body (the first {@code length} bytes, valid until this thread fetches again) and its Content-Type. */
    public record Response(byte[] body, int length, String contentType) {
    }

    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[64 << 10]);
    private final HttpClient http;
    private final String userAgent;

    public ScrapeClient(String userAgent) {
        this.userAgent = userAgent;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public Response fetch(ScrapeTarget t) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(t.uri()).GET().timeout(Duration.ofMillis(t.timeoutMs()))
                .header("Accept", ScrapeLoop.ACCEPT)
                .header("Accept-Encoding", "gzip")
                .header("User-Agent", userAgent)
                .header("X-Prometheus-Scrape-Timeout-Seconds", seconds(t.timeoutMs()));
        String auth = t.auth().header();
        if (auth != null) {
            rb.header("Authorization", auth);
        }
        HttpResponse<InputStream> r;
        try {
            r = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new ScrapeException("timeout", "no answer within " + seconds(t.timeoutMs())
                    + "s; check the target or raise scrape_timeout");
        } catch (ConnectException e) {
            throw new ScrapeException("connect", "cannot connect (" + (e.getMessage() == null ? "connection refused" : e.getMessage())
                    + "); is the exporter running and listening on " + t.address() + "?");
        } catch (IOException e) {
            throw new ScrapeException("io", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScrapeException("interrupted", "interrupted");
        }
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw new ScrapeException("http_status", "server returned HTTP status " + r.statusCode()
                        + (r.statusCode() == 401 || r.statusCode() == 403 ? "; check basic_auth / authorization"
                        : r.statusCode() == 404 ? "; check metrics_path" : ""));
            }
            boolean gzip = r.headers().firstValue("Content-Encoding").map(v -> v.equalsIgnoreCase("gzip")).orElse(false);
            // Read into this thread's buffer: the scrape parses it before the thread fetches again.
            InputStream src = gzip ? new GZIPInputStream(in) : in;
            byte[] buf = BUFFER.get();
            int n = 0;
            for (int k; (k = src.read(buf, n, buf.length - n)) >= 0; ) {
                n += k;
                if (n == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                    BUFFER.set(buf);
                }
            }
            return new Response(buf, n, r.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new ScrapeException("io", "reading the body failed: " + e);
        }
    }

    /** Seconds as Prometheus formats them in the timeout header (strconv 'f', -1). */
    static String seconds(long ms) {
        return new java.math.BigDecimal(ms).movePointLeft(3).stripTrailingZeros().toPlainString();
    }
}
