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
        // The timeout bounds the whole exchange, body included, as Prometheus's scrape_timeout does
        // (the request's own timeout stops at the response headers).
        java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> f = http.sendAsync(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> r;
        try {
            r = f.get(t.timeoutMs(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            throw timeout(t);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof HttpTimeoutException) {
                throw timeout(t);
            }
            if (c instanceof ConnectException) {
                throw new ScrapeException("connect", "cannot connect (" + (c.getMessage() == null ? "connection refused" : c.getMessage())
                        + "); is the exporter running and listening on " + t.address() + "?");
            }
            throw new ScrapeException("io", String.valueOf(c));
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new ScrapeException("interrupted", "interrupted");
        }
        if (r.statusCode() != 200) {
            throw new ScrapeException("http_status", "server returned HTTP status " + r.statusCode()
                    + (r.statusCode() == 401 || r.statusCode() == 403 ? "; check basic_auth / authorization"
                    : r.statusCode() == 404 ? "; check metrics_path" : ""));
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (!r.headers().firstValue("Content-Encoding").map(v -> v.equalsIgnoreCase("gzip")).orElse(false)) {
            return new Response(r.body(), r.body().length, type);
        }
        // Inflate into this thread's buffer: the scrape parses it before the thread fetches again.
        try (InputStream src = new GZIPInputStream(new java.io.ByteArrayInputStream(r.body()))) {
            byte[] buf = BUFFER.get();
            int n = 0;
            for (int k; (k = src.read(buf, n, buf.length - n)) >= 0; ) {
                n += k;
                if (n == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                    BUFFER.set(buf);
                }
            }
            return new Response(buf, n, type);
        } catch (IOException e) {
            throw new ScrapeException("io", "the gzip body is broken: " + e.getMessage());
        }
    }

    private static ScrapeException timeout(ScrapeTarget t) {
        return new ScrapeException("timeout", "no complete answer within " + seconds(t.timeoutMs())
                + "s; check the target or raise scrape_timeout");
    }

    /** Seconds as Prometheus formats them in the timeout header (strconv 'f', -1). */
    static String seconds(long ms) {
        return new java.math.BigDecimal(ms).movePointLeft(3).stripTrailingZeros().toPlainString();
    }
}
