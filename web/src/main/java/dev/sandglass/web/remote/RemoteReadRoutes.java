package dev.sandglass.web.remote;

import dev.sandglass.ingest.remote.RemoteProto;
import dev.sandglass.ingest.remote.Snappy;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.web.api.RouteModule;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Prometheus remote read at {@code POST /api/v1/read}, sampled responses: a snappy-compressed
 * ReadRequest in, a snappy-compressed ReadResponse out, each query answered with the raw samples
 * of the series that match it in its time range (the reading Prometheus evaluates PromQL on them).
 * A request selecting more than {@code maxSamples} samples is refused (400) before the answer is
 * built, as Prometheus's --storage.remote.read-sample-limit does.
 */
public final class RemoteReadRoutes implements RouteModule {
    static final long MAX_BODY = 4L << 20;
    private final Supplier<Queryable> storage;
    private final long maxSamples;

    public RemoteReadRoutes(Supplier<Queryable> storage, long maxSamples) {
        this.storage = storage;
        this.maxSamples = maxSamples;
    }

    @Override
    public void register(Router router) {
        router.post("/api/v1/read").handler(BodyHandler.create().setBodyLimit(MAX_BODY).setHandleFileUploads(false))
                .blockingHandler(this::read, false);
    }

    private void read(RoutingContext ctx) {
        List<RemoteProto.ReadQuery> queries;
        try {
            queries = RemoteProto.decodeRead(Snappy.uncompress(WriteBodies.raw(ctx, MAX_BODY), 4 * MAX_BODY));
        } catch (Snappy.TooLarge | WriteBodies.TooLarge e) {
            RemoteWriteRoutes.text(ctx, 413, e.getMessage());
            return;
        } catch (IllegalArgumentException | RemoteProto.DecodeException e) {
            RemoteWriteRoutes.text(ctx, 400, e.getMessage());
            return;
        }
        List<List<RemoteProto.SeriesSamples>> results = new ArrayList<>();
        long total = 0;
        for (RemoteProto.ReadQuery q : queries) {
            List<RemoteProto.SeriesSamples> out = new ArrayList<>();
            try (Querier querier = storage.get().querier(q.startMs(), q.endMs())) {
                for (Series s : querier.select(q.matchers())) {
                    Samples smp = s.samples();
                    total += smp.size();
                    if (total > maxSamples) {
                        RemoteWriteRoutes.text(ctx, 400, "exceeded sample limit (" + maxSamples + ")");
                        return;
                    }
                    if (smp.size() > 0) {
                        out.add(new RemoteProto.SeriesSamples(s.labels(), smp.timestamps(), smp.values(), smp.size()));
                    }
                }
            }
            results.add(out);
        }
        byte[] body = Snappy.compress(RemoteProto.encodeReadResponse(results));
        ctx.response().setStatusCode(200).putHeader("Content-Type", "application/x-protobuf")
                .putHeader("Content-Encoding", "snappy").end(Buffer.buffer(body));
    }
}
