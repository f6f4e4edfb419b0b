package dev.sandglass.ingest.scrape;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
 * byte of the answer was read (what Go's transport retries too).
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

    private static final int READ_BUFFER = 16 << 10;
    private final byte[] rbuf = new byte[READ_BUFFER];
    private int rpos;
    private int rlim;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private String origin; // scheme://host:port of the open socket
    private long deadlineNanos;

    /**
     * GETs {@code uri} with {@code requestHead} (the request line and headers, without the final
     * blank line's CRLF pair already included) and reads the answer into {@code into}, whose body
     * buffer is grown when needed and otherwise reused.
     */
    void get(URI uri, String requestHead, long deadlineNanos, Response into) throws IOException {
        this.deadlineNanos = deadlineNanos;
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
            readStatusLine(into);
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
            readStatusLine(into);
        }
        try {
            readRest(into);
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
            s.connect(new InetSocketAddress(uri.getHost(), port(uri)), remainingMs());
            if ("https".equalsIgnoreCase(uri.getScheme())) {
                SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(s, uri.getHost(), port(uri), true);
                SSLParameters p = tls.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host
                tls.setSSLParameters(p);
                tls.setSoTimeout(remainingMs());
                tls.startHandshake();
                s = tls;
            }
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
        origin = o;
        rpos = 0;
        rlim = 0;
    }

    private int remainingMs() throws DeadlineException {
        long ms = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new DeadlineException();
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    /** Refills the read buffer; false at the end of the stream. */
    private boolean fill() throws IOException {
        socket.setSoTimeout(remainingMs());
        int n;
        try {
            n = in.read(rbuf, 0, rbuf.length);
        } catch (SocketTimeoutException e) {
            throw new DeadlineException();
        }
        if (n <= 0) {
            return false;
        }
        rpos = 0;
        rlim = n;
        return true;
    }

    private final StringBuilder line = new StringBuilder(128);

    /** One CRLF- (or LF-) terminated header line, without its end; null at the end of the stream. */
    private String readLine() throws IOException {
        line.setLength(0);
        while (true) {
            if (rpos == rlim && !fill()) {
                if (line.length() == 0) {
                    return null;
                }
                throw new EOFException("connection closed in the middle of a header line");
            }
            byte c = rbuf[rpos++];
            if (c == '\n') {
                int n = line.length();
                if (n > 0 && line.charAt(n - 1) == '\r') {
                    line.setLength(n - 1);
                }
                return line.toString();
            }
            if (line.length() > 64 << 10) {
                throw new IOException("a header line longer than 64 KiB");
            }
            line.append((char) (c & 0xff));
        }
    }

    private boolean keepAlive;

    private void readStatusLine(Response r) throws IOException {
        String status = readLine();
        if (status == null) {
            throw new EOFException("the server closed the connection without answering");
        }
        parseStatus(status, r);
    }

    private void parseStatus(String status, Response r) throws IOException {
        // HTTP/1.1 200 OK
        if (!status.startsWith("HTTP/1.") || status.length() < 12) {
            throw new IOException("not an HTTP/1.x answer: \"" + (status.length() > 80 ? status.substring(0, 80) : status) + "\"");
        }
        try {
            r.status = Integer.parseInt(status.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("bad HTTP status line \"" + status + "\"");
        }
        keepAlive = status.charAt(7) != '0'; // HTTP/1.0 closes unless it says keep-alive
    }

    private void readRest(Response r) throws IOException {
        while (true) {
            long contentLength = -1;
            boolean chunked = false;
            r.contentType = "";
            r.contentEncoding = null;
            r.location = null;
            for (String h; (h = readLine()) != null && !h.isEmpty(); ) {
                int colon = h.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim();
                String value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("bad Content-Length \"" + value + "\"");
                    }
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
                } else if (name.equalsIgnoreCase("Content-Type")) {
                    r.contentType = value;
                } else if (name.equalsIgnoreCase("Content-Encoding")) {
                    r.contentEncoding = value;
                } else if (name.equalsIgnoreCase("Location")) {
                    r.location = value;
                } else if (name.equalsIgnoreCase("Connection")) {
                    String v = value.toLowerCase(java.util.Locale.ROOT);
                    if (v.contains("close")) {
                        keepAlive = false;
                    } else if (v.contains("keep-alive")) {
                        keepAlive = true;
                    }
                }
            }
            if (r.status >= 100 && r.status < 200) {
                // 100 Continue and friends: the real answer follows.
                String status = readLine();
                if (status == null) {
                    throw new EOFException("the server closed the connection after an interim answer");
                }
                parseStatus(status, r);
                continue;
            }
            r.length = 0;
            if (chunked) {
                readChunked(r);
            } else if (contentLength >= 0) {
                if (contentLength > Integer.MAX_VALUE - 16) {
                    throw new IOException("a body of " + contentLength + " bytes is too large to scrape");
                }
                ensure(r, (int) contentLength);
                readFully(r, (int) contentLength);
            } else if (r.status == 204 || r.status == 304) {
                // no body
            } else {
                keepAlive = false;
                readToClose(r);
            }
            if (!keepAlive) {
                close();
            }
            return;
        }
    }

    private void readChunked(Response r) throws IOException {
        while (true) {
            String sizeLine = readLine();
            if (sizeLine == null) {
                throw new EOFException("connection closed in the middle of a chunked body");
            }
            int semi = sizeLine.indexOf(';');
            String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size \"" + hex + "\"");
            }
            if (size < 0) {
                throw new IOException("bad chunk size \"" + hex + "\"");
            }
            if (size == 0) {
                for (String t; (t = readLine()) != null && !t.isEmpty(); ) {
                    // trailers: ignored
                }
                return;
            }
            ensure(r, r.length + size);
            readFully(r, size);
            String end = readLine();
            if (end == null || !end.isEmpty()) {
                throw new IOException("a chunk does not end with CRLF");
            }
        }
    }

    private void readFully(Response r, int n) throws IOException {
        while (n > 0) {
            if (rpos == rlim) {
                if (n >= rbuf.length) {
                    // Large remainder: straight into the body buffer.
                    socket.setSoTimeout(remainingMs());
                    int k;
                    try {
                        k = in.read(r.body, r.length, n);
                    } catch (SocketTimeoutException e) {
                        throw new DeadlineException();
                    }
                    if (k <= 0) {
                        throw new EOFException("connection closed before the whole body arrived");
                    }
                    r.length += k;
                    n -= k;
                    continue;
                }
                if (!fill()) {
                    throw new EOFException("connection closed before the whole body arrived");
                }
            }
            int k = Math.min(n, rlim - rpos);
            System.arraycopy(rbuf, rpos, r.body, r.length, k);
            rpos += k;
            r.length += k;
            n -= k;
        }
    }

    private void readToClose(Response r) throws IOException {
        while (true) {
            if (rpos == rlim && !fill()) {
                return;
            }
            int k = rlim - rpos;
            ensure(r, r.length + k);
            System.arraycopy(rbuf, rpos, r.body, r.length, k);
            r.length += k;
            rpos = rlim;
        }
    }

    private static void ensure(Response r, int size) {
        if (r.body == null || r.body.length < size) {
            int cap = r.body == null ? 64 << 10 : r.body.length;
            while (cap < size) {
                cap = cap > (1 << 29) ? Integer.MAX_VALUE - 16 : cap * 2;
            }
            r.body = r.body == null ? new byte[cap] : java.util.Arrays.copyOf(r.body, cap);
        }
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        in = null;
        out = null;
        origin = null;
        rpos = 0;
        rlim = 0;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing: nothing to do
            }
        }
    }
}
