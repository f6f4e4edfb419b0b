package dev.sandglass.web.remote;

import dev.sandglass.storage.Db;
import dev.sandglass.web.api.RouteModule;
import dev.sandglass.web.otlp.OtlpRoutes;
import java.util.List;

/** The ways in and out besides the query API: OTLP, remote write and read, federation. */
public final class ProtocolRoutes {
    private ProtocolRoutes() {
    }

    public static List<RouteModule> all(Db db, WriteOptions write, WriteMetrics metrics, long maxReadSamples) {
        return List.of(
                new OtlpRoutes(db, write, metrics),
                new RemoteWriteRoutes(db, write, metrics, () -> db.retentionCutoffMs(System.currentTimeMillis())),
                new RemoteReadRoutes(() -> db, maxReadSamples),
                new FederateRoutes(() -> db));
    }
}
