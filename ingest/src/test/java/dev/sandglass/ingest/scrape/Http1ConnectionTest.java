package dev.sandglass.ingest.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scrape's HTTP/1.1 client against a raw loopback server that answers exactly as each test
 * says: bodies by length, chunks and close; kept-alive connections reused; an idle connection the
 * server closed is reopened; redirects followed; the request Prometheus makes.
 */
class Http1ConnectionTest {
    /** A server that answers each request on a connection with {@code answer(connectionNo, requestNo)}. */
    static final class RawServer implements AutoCloseable {
        final ServerSocket ss;
        final AtomicInteger connections = new AtomicInteger();
        final List<List<String>> requests = new CopyOnWriteArrayList<>();
        final Thread acceptor;

        RawServer(BiFunction<Integer, Integer, String> answer) throws IOException {
            ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                while (!ss.isClosed()) {
                    try {
                        Socket s = ss.accept();
                        int c = connections.incrementAndGet();
                        Thread th = new Thread(() -> serve(s, c, answer));
                        th.setDaemon(true);
                        th.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void serve(Socket s, int c, BiFunction<Integer, Integer, String> answer) {
            try (s) {
                BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = s.getOutputStream();
                for (int n = 1; ; n++) {
                    List<String> head = new ArrayList<>();
                    for (String l; (l = r.readLine()) != null && !l.isEmpty(); ) {
                        head.add(l);
                    }
                    if (head.isEmpty()) {
                        return;
                    }
                    requests.add(head);
                    String a = answer.apply(c, n);
                    if (a == null) {
                        return; // close without answering
                    }
                    out.write(a.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (a.contains("Connection: close") || !a.startsWith("HTTP/1.1")) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the client went away
            }
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + ss.getLocalPort() + path);
        }

        @Override
        public void close() throws IOException {
            ss.close();
        }
    }

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private RawServer server(BiFunction<Integer, Integer, String> answer) throws IOException {
        RawServer s = new RawServer(answer);
        open.add(s);
        return s;
    }

    private static String ok(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static Http1Connection.Response get(Http1Connection c, URI uri) throws IOException {
        Http1Connection.Response r = new Http1Connection.Response();
        c.get(uri, "GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getAuthority() + "\r\n\r\n", System.nanoTime() + 5_000_000_000L, r);
        return r;
    }

    private static String body(Http1Connection.Response r) {
        return new String(r.body, 0, r.length, StandardCharsets.ISO_8859_1);
    }

    @Test
    void keptAliveConnectionCarriesEveryScrapeAndBodiesOfEveryFramingArrive() throws Exception {
        RawServer s = server((c, n) -> switch (n) {
            case 1 -> ok("a 1\n");
            case 2 -> "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                    + "4;ext=1\r\nb 2\n\r\n" + "a\r\nccc 33333\n\r\n" + "0\r\nX-Trailer: t\r\n\r\n";
            default -> ok("d " + n + "\n");
        });
        Http1Connection c = new Http1Connection();
        open.add(c);
        assertEquals("a 1\n", body(get(c, s.uri("/m"))));
        Http1Connection.Response r = get(c, s.uri("/m"));
        assertEquals("b 2\nccc 33333\n", body(r));
        assertEquals("text/plain", r.contentType);
        assertEquals("d 3\n", body(get(c, s.uri("/m"))));
        assertEquals(1, s.connections.get(), "one connection for three scrapes");
    }

    @Test
    void anIdleConnectionTheServerClosedIsReopenedOnce() throws Exception {
        // Every connection answers one request, then closes without saying so (as an idle timeout does).
        RawServer s = server((c, n) -> n == 1 ? ok("x " + c + "\n") : null);
        Http1Connection c = new Http1Connection();
        open.add(c);
        assertEquals("x 1\n", body(get(c, s.uri("/m"))));
        assertEquals("x 2\n", body(get(c, s.uri("/m"))));
        assertEquals(2, s.connections.get());
    }

    @Test
    void aBodyWithoutLengthIsReadToCloseAndAnHttp10AnswerClosesTheConnection() throws Exception {
        RawServer s = server((c, n) -> c == 1 ? "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nold 1\n" : ok("new 2\n"));
        Http1Connection c = new Http1Connection();
        open.add(c);
        assertEquals("old 1\n", body(get(c, s.uri("/m"))));
        assertEquals("new 2\n", body(get(c, s.uri("/m"))));
        assertEquals(2, s.connections.get());
    }

    @Test
    void aClosedConnectionMidBodyIsAnErrorNotATruncatedScrape() throws Exception {
        RawServer s = server((c, n) -> "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nshort 1\n");
        Http1Connection c = new Http1Connection();
        open.add(c);
        IOException e = assertThrows(IOException.class, () -> get(c, s.uri("/m")));
        assertTrue(e.getMessage().contains("before the whole body"), e.getMessage());
    }

    @Test
    void theClientSendsPrometheusRequestAndFollowsARedirect() throws Exception {
        RawServer s = server((c, n) -> n == 1
                ? "HTTP/1.1 302 Found\r\nLocation: /real?x=1\r\nContent-Length: 0\r\n\r\n"
                : ok("moved 1\n"));
        ScrapeTarget t = new ScrapeTarget("j", "http", "127.0.0.1:" + s.ss.getLocalPort(), "/metrics", Map.of("a", List.of("b c")),
                15_000, 2_500, dev.sandglass.storage.api.Labels.of("job", "j"), false, true,
                new ScrapeTarget.Auth.Bearer("Bearer", "tok", null));
        Http1Connection c = new Http1Connection();
        open.add(c);
        ScrapeClient.Response r = new ScrapeClient("Sandglass/test").fetch(t, c);
        assertEquals("moved 1\n", new String(r.body(), 0, r.length(), StandardCharsets.ISO_8859_1));
        List<String> first = s.requests.get(0);
        assertEquals("GET /metrics?a=b+c HTTP/1.1", first.get(0));
        assertTrue(first.contains("Host: 127.0.0.1:" + s.ss.getLocalPort()), first.toString());
        assertTrue(first.contains("Accept: " + ScrapeLoop.ACCEPT), first.toString());
        assertTrue(first.contains("Accept-Encoding: gzip"), first.toString());
        assertTrue(first.contains("X-Prometheus-Scrape-Timeout-Seconds: 2.5"), first.toString());
        assertTrue(first.contains("Authorization: Bearer tok"), first.toString());
        assertTrue(first.contains("User-Agent: Sandglass/test"), first.toString());
        assertEquals("GET /real?x=1 HTTP/1.1", s.requests.get(1).get(0));
        assertEquals(1, s.connections.get(), "the redirect to the same origin reuses the connection");
    }
}
