package dev.sandglass.ingest.scrape;

import dev.sandglass.ingest.scrape.Http1Connection.DeadlineException;
import dev.sandglass.ingest.scrape.Http1Connection.Response;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Reads the answers of an {@link Http1Connection} from its socket through one reused buffer: the
 * status line, the headers the scraper needs, and a Content-Length, chunked or read-to-close
 * body into the caller's {@link Response}. Every read is bounded by the scrape's deadline.
 */
final class Http1AnswerReader {
    private static final int READ_BUFFER = 16 << 10;
    private final byte[] rbuf = new byte[READ_BUFFER];
    private int rpos;
    private int rlim;
    private Socket socket;
    private InputStream in;
    private long deadlineNanos;
    private final StringBuilder line = new StringBuilder(128);
    /** Whether the answer being read leaves the connection open (its version, its Connection header). */
    private boolean keepAlive;

    /** Reads from {@code s} from now on, nothing buffered. */
    void attach(Socket s, InputStream in) {
        this.socket = s;
        this.in = in;
        rpos = 0;
        rlim = 0;
    }

    /** Lets go of the socket (the connection closed it), dropping what was buffered. */
    void detach() {
        socket = null;
        in = null;
        rpos = 0;
        rlim = 0;
    }

    /** The deadline of the scrape under way ({@link System#nanoTime} based). */
    void deadline(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /** Milliseconds left before the deadline, at least 1; past it, a {@link DeadlineException}. */
    int remainingMs() throws DeadlineException {
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

    /** Reads the status line of the next answer; the server closing instead is an {@link EOFException}. */
    void readStatusLine(Response r) throws IOException {
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

    /**
     * Reads the headers and the body of the answer whose status line was read (after any interim
     * answers); whether the connection may be kept alive for the next request.
     */
    boolean readRest(Response r) throws IOException {
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
            return keepAlive;
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
}
