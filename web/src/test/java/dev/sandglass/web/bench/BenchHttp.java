package dev.sandglass.web.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The benchmark's HTTP/1.1 client: one kept-alive connection, a request written as its header and
 * its body in two writes, the answer read by Content-Length (or chunks). The JDK's HttpClient hands
 * a body to the socket in 16 KB pieces, each a hand-off between its threads: on a busy 2-core
 * machine a 556 KB OTLP body then waits for the scheduler 35 times where a 112 KB snappy body waits
 * 7 times, which measured the client, not the receiver. Receivers' senders (Prometheus's Go client,
 * msb-metrics' hyper) write a body whole; so does this. Not thread-safe: one per client thread.
 */
final class BenchHttp implements AutoCloseable {
    record Response(int status, String body) {
    }

    /** An answer as bytes, with its Content-Encoding ("" when none). */
    record Raw(int status, byte[] body, String encoding) {
    }

    private final String host;
    private final int port;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    BenchHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** POSTs {@code body} to {@code uri} (same host and port as this client's), with the given headers as name, value pairs. */
    Response post(URI uri, byte[] body, String... headers) throws IOException {
        byte[] head = head("POST", uri, "Content-Length: " + body.length + "\r\n", headers);
        return exchange(head, body, this::read);
    }

    /** GETs {@code uri} (same host and port as this client's), with the given headers as name, value pairs. */
    Raw get(URI uri, String... headers) throws IOException {
        return exchange(head("GET", uri, "", headers), null, this::readRaw);
    }

    private byte[] head(String method, URI uri, String extra, String... headers) {
        StringBuilder h = new StringBuilder(method).append(' ').append(uri.getRawPath());
        if (uri.getRawQuery() != null) {
            h.append('?').append(uri.getRawQuery());
        }
        h.append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port).append("\r\n").append(extra);
        for (int i = 0; i < headers.length; i += 2) {
            h.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        return h.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private interface Reader<T> {
        T read() throws IOException;
    }

    /** Writes a request (body null for none) and reads its answer; a kept-alive connection the server closed is retried once on a new one. */
    private <T> T exchange(byte[] head, byte[] body, Reader<T> answer) throws IOException {
        for (int attempt = 0;; attempt++) {
            try {
                connect();
                out.write(head);
                if (body != null) {
                    out.write(body);
                }
                out.flush();
                return answer.read();
            } catch (IOException e) {
                close();
                if (attempt > 0) {
                    throw e;
                }
            }
        }
    }

    private void connect() throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(120_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 64 << 10);
        }
    }

    private Response read() throws IOException {
        Raw r = readRaw();
        return new Response(r.status(), new String(r.body(), StandardCharsets.UTF_8));
    }

    private Raw readRaw() throws IOException {
        String status = line();
        if (status == null || !status.startsWith("HTTP/1.")) {
            throw new IOException("no HTTP answer: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = code == 204 || code == 304 ? 0 : -1;
        boolean chunked = false;
        boolean closes = false;
        String encoding = "";
        for (String l = line(); l != null && !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = l.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                case "connection" -> closes = value.equalsIgnoreCase("close");
                case "content-encoding" -> encoding = value;
                default -> {
                }
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (long n = Long.parseLong(line().split(";")[0].trim(), 16); n > 0; n = Long.parseLong(line().split(";")[0].trim(), 16)) {
                copy(n, body);
                line();
            }
            for (String l = line(); l != null && !l.isEmpty(); l = line()) {
                // trailers
            }
        } else if (length >= 0) {
            copy(length, body);
        } else {
            in.transferTo(body);
            closes = true;
        }
        if (closes) {
            close();
        }
        return new Raw(code, body.toByteArray(), encoding);
    }

    private void copy(long n, ByteArrayOutputStream to) throws IOException {
        byte[] buf = new byte[8192];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new IOException("answer cut short");
            }
            to.write(buf, 0, r);
            n -= r;
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
            socket = null;
        }
    }
}
