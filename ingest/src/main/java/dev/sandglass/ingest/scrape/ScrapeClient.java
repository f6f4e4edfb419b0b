package dev.sandglass.ingest.scrape;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.zip.GZIPInputStream;

/**
 * Fetches a target's body with the request Prometheus 2.42 makes: its Accept header (OpenMetrics
 * preferred, then text 0.0.4), gzip, and X-Prometheus-Scrape-Timeout-Seconds; redirects are
 * followed (never from https to http). HTTP/1.1 on a kept-alive {@link Http1Connection} per target,
 * read on the scraping thread: the JDK's HttpClient cost about a thread start per scrape on a
 * 2-core host (its completions hop to CompletableFuture's thread-per-task fallback) beside its own
 * selector and worker threads. Failures become {@link ScrapeException}s whose message says what
 * to check.
 */
public final class ScrapeClient {
    /** A fetched body (the first {@code length} bytes, valid until this thread fetches again) and its Content-Type. */
    public record Response(byte[] body, int length, String contentType) {
    }

    private static final int MAX_REDIRECTS = 10;
    /** Per scraping thread: the raw answer and the inflated body, reused from scrape to scrape. */
    private static final ThreadLocal<Http1Connection.Response> RAW = ThreadLocal.withInitial(Http1Connection.Response::new);
    private static final ThreadLocal<byte[]> INFLATED = ThreadLocal.withInitial(() -> new byte[64 << 10]);
    private final String userAgent;

    public ScrapeClient(String userAgent) {
        this.userAgent = userAgent;
    }

    /** Fetches {@code t} over {@code conn} (the target's own connection, one scrape at a time). */
    public Response fetch(ScrapeTarget t, Http1Connection conn) {
        long deadline = System.nanoTime() + t.timeoutMs() * 1_000_000L;
        String auth = t.auth().header();
        URI uri = t.uri();
        Http1Connection.Response r = RAW.get();
        for (int hops = 0; ; hops++) {
            try {
                conn.get(uri, requestHead(uri, auth, t.timeoutMs()), deadline, r);
            } catch (Http1Connection.DeadlineException e) {
                throw timeout(t);
            } catch (ConnectException e) {
                throw new ScrapeException("connect", "cannot connect (" + (e.getMessage() == null ? "connection refused" : e.getMessage())
                        + "); is the exporter running and listening on " + t.address() + "?");
            } catch (UnknownHostException e) {
                throw new ScrapeException("connect", "cannot resolve host " + e.getMessage() + "; check the target's address");
            } catch (java.net.SocketTimeoutException e) {
                throw timeout(t);
            } catch (IOException e) {
                throw new ScrapeException("io", e.toString());
            }
            if (r.location == null || !(r.status == 301 || r.status == 302 || r.status == 303 || r.status == 307 || r.status == 308)) {
                break;
            }
            URI next = uri.resolve(r.location);
            if (hops == MAX_REDIRECTS || "https".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())
                    || !("http".equalsIgnoreCase(next.getScheme()) || "https".equalsIgnoreCase(next.getScheme()))) {
                break; // reported as the redirect status below
            }
            uri = next;
        }
        if (r.status != 200) {
            throw new ScrapeException("http_status", "server returned HTTP status " + r.status
                    + (r.status == 401 || r.status == 403 ? "; check basic_auth / authorization"
                    : r.status == 404 ? "; check metrics_path" : ""));
        }
        if (r.contentEncoding == null || !r.contentEncoding.equalsIgnoreCase("gzip")) {
            return new Response(r.body == null ? new byte[0] : r.body, r.length, r.contentType);
        }
        // Inflate into this thread's buffer: the scrape parses it before the thread fetches again.
        try (InputStream src = new GZIPInputStream(new java.io.ByteArrayInputStream(r.body, 0, r.length))) {
            byte[] buf = INFLATED.get();
            int n = 0;
            for (int k; (k = src.read(buf, n, buf.length - n)) >= 0; ) {
                n += k;
                if (n == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                    INFLATED.set(buf);
                }
            }
            return new Response(buf, n, r.contentType);
        } catch (IOException e) {
            throw new ScrapeException("io", "the gzip body is broken: " + e.getMessage());
        }
    }

    private String requestHead(URI uri, String auth, long timeoutMs) {
        StringBuilder b = new StringBuilder(384);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        b.append("GET ").append(path);
        if (uri.getRawQuery() != null) {
            b.append('?').append(uri.getRawQuery());
        }
        b.append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
        if (uri.getPort() >= 0) {
            b.append(':').append(uri.getPort());
        }
        b.append("\r\nUser-Agent: ").append(userAgent)
                .append("\r\nAccept: ").append(ScrapeLoop.ACCEPT)
                .append("\r\nAccept-Encoding: gzip")
                .append("\r\nX-Prometheus-Scrape-Timeout-Seconds: ").append(seconds(timeoutMs));
        if (auth != null) {
            if (auth.indexOf('\r') >= 0 || auth.indexOf('\n') >= 0) {
                throw new ScrapeException("auth", "the credentials hold a line break; check basic_auth / authorization");
            }
            b.append("\r\nAuthorization: ").append(auth);
        }
        return b.append("\r\n\r\n").toString();
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
