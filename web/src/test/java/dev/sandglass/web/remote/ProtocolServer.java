package dev.sandglass.web.remote;

import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Series;
import dev.sandglass.web.api.ApiHandlers;
import dev.sandglass.web.api.ApiServer;
import dev.sandglass.web.api.EngineQueryService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

/** A real store in a temp dir served with the protocol routes on an ephemeral loopback port. */
public final class ProtocolServer implements AutoCloseable {
    public final Db db;
    public final ApiServer server;
    public final WriteMetrics metrics = new WriteMetrics();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public ProtocolServer(Path dir, WriteOptions write) {
        this(dir, write, DbOptions.DEFAULT_RETENTION_MS);
    }

    public ProtocolServer(Path dir, WriteOptions write, long retentionMs) {
        db = Db.open(DbOptions.defaults(dir).withRetention(retentionMs, 0));
        ApiHandlers h = new ApiHandlers(() -> db, new EngineQueryService(new EngineOptions(300_000, 60_000, 50_000_000, 60_000)),
                new ApiHandlers.Options(60_000, 2, "0.1.0", "test", "test"), List.of(metrics));
        server = ApiServer.start("127.0.0.1", 0, h, ProtocolRoutes.all(db, write, metrics, 50_000_000));
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    public HttpResponse<byte[]> post(String path, String contentType, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url(pathAndQuery))).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every stored series matching the selector's matchers over all time. */
    public List<Series> select(Matcher... ms) {
        try (Querier q = db.querier(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2)) {
            List<Series> out = new java.util.ArrayList<>();
            for (Series s : q.select(List.of(ms))) {
                out.add(Series.of(s.labels(), s.samples()));
            }
            return out;
        }
    }

    @Override
    public void close() {
        server.close();
        db.close();
    }
}
