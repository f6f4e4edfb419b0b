package dev.sandglass.web.bench;

import dev.sandglass.ingest.remote.RemoteProto;
import dev.sandglass.ingest.remote.RemoteWriteIngester;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where remote-write ingestion spends its time, in process: decode alone, then decode + append + commit. */
public final class IngestPathBench {
    public static void main(String[] args) throws Exception {
        int collections = Integer.parseInt(args.length > 0 ? args[0] : "30");
        byte[][] bodies = new byte[collections][];
        long t0 = System.currentTimeMillis() - collections * 1000L;
        for (int c = 0; c < collections; c++) {
            bodies[c] = RemoteProto.encodeWrite(ProtocolBench.remoteWrite("rw_m", 0, 1, t0 + c * 1000L, c));
        }
        long samples = (long) collections * ProtocolBench.SANDBOXES * ProtocolBench.SERIES;
        Path dir = Files.createTempDirectory("sg-ingest-bench");
        dev.sandglass.ingest.remote.SeriesRefCache cache = new dev.sandglass.ingest.remote.SeriesRefCache(1 << 20);
        try (Db db = Db.open(DbOptions.defaults(dir))) {
            for (int round = 0; round < 5; round++) {
                long a = System.nanoTime();
                long[] n = new long[1];
                for (byte[] b : bodies) {
                    RemoteProto.decodeWrite(b, (p, nl, ts, vs, k) -> n[0] += k);
                }
                long b0 = System.nanoTime();
                for (byte[] b : bodies) {
                    Appender app = db.appender();
                    RemoteWriteIngester.ingest(b, app, 0, cache);
                    app.commit();
                }
                long c0 = System.nanoTime();
                System.out.printf("round %d: decode %,.0f samples/s; decode+append+commit %,.0f samples/s%n", round,
                        samples / ((b0 - a) / 1e9), samples / ((c0 - b0) / 1e9));
            }
        }
    }
}
