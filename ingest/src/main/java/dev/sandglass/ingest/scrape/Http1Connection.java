package dev.sandglass.ingest.scrape;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One kept-alive HTTP/1.1 connection to one target, used by one scrape at a time: a blocking GET
 * on the scraping thread, as Prometheus's Go client does, with no selector thread, no executor hop
 * and no per-response buffers (the body is read into a buffer the caller reuses). Reads
 * Content-Length, chunked and read-to-close bodies; every read is bounded by the scrape's
 * deadline. A kept-alive connection the server closed meanwhile is reopened once, before any
 * byte of the answer was read (what Go's transport retries too). The answer is read by
 * {@link Http1AnswerReader}.
 */
final class Http1Connection implements AutoCloseable {
    /** A response: status, the headers the scraper needs, and the body in {@code body[0..length)}. */
    static final class Response {
        int status;
        String contentType = "";
        String contentEncoding;
        String location;
        byte[] body;
        int length;
    }

    /** The deadline passed: the caller reports a timeout. */
    static final class DeadlineException extends IOException {
        DeadlineException() {
            super("deadline");
        }
    }

    private final Http1AnswerReader reader = new Http1AnswerReader();
    private Socket socket;
    private OutputStream out;
    private String origin; // scheme://host:port of the open socket

    /**
     * GETs {@code uri} with {@code requestHead} (the request line and headers, without the final
     * blank line's CRLF pair already included) and reads the answer into {@code into}, whose body
     * buffer is grown when needed and otherwise reused.
     */
    void get(URI uri, String requestHead, long deadlineNanos, Response into) throws IOException {
        reader.deadline(deadlineNanos);
        String o = uri.getScheme() + "://" + uri.getHost() + ":" + port(uri);
        boolean reused = socket != null && o.equals(origin);
        if (!reused) {
            close();
            open(uri, o);
        }
        byte[] req = requestHead.getBytes(StandardCharsets.ISO_8859_1);
        try {
            out.write(req);
            out.flush();
            reader.readStatusLine(into);
        } catch (IOException e) {
            if (!reused || e instanceof DeadlineException || e instanceof SocketTimeoutException) {
                close();
                throw e;
            }
            // The server closed the idle connection: one more try on a new one.
            close();
            open(uri, o);
            out.write(req);
            out.flush();
            reader.readStatusLine(into);
        }
        try {
            if (!reader.readRest(into)) {
                close();
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private void open(URI uri, String o) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(uri.getHost(), port(uri)), reader.remainingMs());
            if ("https".equalsIgnoreCase(uri.getScheme())) {
                SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(s, uri.getHost(), port(uri), true);
                SSLParameters p = tls.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
                tls.setSSLParameters(p);
                tls.setSoTimeout(reader.remainingMs());
                tls.startHandshake();
                s = tls;
            }
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        reader.attach(s, s.getInputStream());
        out = s.getOutputStream();
        origin = o;
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        reader.detach();
        out = null;
        origin = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing: nothing to do
            }
        }
    }
}
