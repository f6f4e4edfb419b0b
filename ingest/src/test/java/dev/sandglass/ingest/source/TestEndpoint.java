package dev.sandglass.ingest.source;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP server on a loopback ephemeral port serving one body that a test changes as it goes. */
public final class TestEndpoint implements AutoCloseable {
    private final HttpServer server;
    private volatile String body = "";
    private volatile String contentType = "text/plain; version=0.0.4; charset=utf-8";
    private volatile int status = 200;
    public final List<com.sun.net.httpserver.Headers> requests = new CopyOnWriteArrayList<>();

    public TestEndpoint(String path) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, ex -> {
            requests.add(ex.getRequestHeaders());
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
    }

    public TestEndpoint serve(String contentType, String body) {
        this.contentType = contentType;
        this.body = body;
        this.status = 200;
        return this;
    }

    public TestEndpoint status(int status) {
        this.status = status;
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
