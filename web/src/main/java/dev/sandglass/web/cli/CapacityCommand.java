package dev.sandglass.web.cli;

import dev.sandglass.query.capacity.CapacityCalculator;
import dev.sandglass.query.capacity.CapacityReport;
import dev.sandglass.storage.Db;
import dev.sandglass.web.api.ApiParams;
import dev.sandglass.web.api.CapacityJson;
import dev.sandglass.web.api.CapacityParams;
import dev.sandglass.web.api.JsonWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "capacity", mixinStandardHelpOptions = true,
        description = "Capacity report (CPU, memory against limits, throughput, running sandboxes, restarts) over a range, "
                + "from a data dir without a server.")
final class CapacityCommand implements Callable<Integer> {
    @Option(names = "--range", defaultValue = "30d", description = "how far back from --end (default: ${DEFAULT-VALUE})")
    String range;

    @Option(names = "--end", description = "end of the range: unix seconds or RFC 3339 (default: now)")
    String end;

    @Option(names = "--sandbox", description = "only this sandbox_name")
    String sandbox;

    @Option(names = "--resolution", description = "5m or 1h (default: 5m up to 7d of range, 1h beyond)")
    String resolution;

    @Mixin
    OfflineDataDir store = new OfflineDataDir();

    @Option(names = "--json", description = "print the HTTP API's JSON instead of tables")
    boolean json;

    @Override
    public Integer call() {
        long rangeMs = ApiParams.parseDuration("range", range);
        if (rangeMs <= 0) {
            throw new IllegalArgumentException("--range must be positive, got " + range);
        }
        long endMs = end == null ? System.currentTimeMillis() : ApiParams.parseTime("end", end);
        long res = CapacityParams.resolution(resolution, rangeMs);
        CapacityReport r;
        try (Db db = store.open()) {
            r = CapacityCalculator.compute(db, endMs, rangeMs, res, sandbox);
        }
        if (json) {
            StringBuilder sb = new StringBuilder();
            JsonWriter w = new JsonWriter(sb);
            w.beginObject().field("status", "success").name("data");
            CapacityJson.write(r, w);
            w.endObject();
            System.out.println(sb);
        } else {
            CapacityTable.print(r, System.out);
        }
        return 0;
    }
}
