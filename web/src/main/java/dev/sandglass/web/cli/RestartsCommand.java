package dev.sandglass.web.cli;

import dev.sandglass.query.sandbox.RestartAnalysis;
import dev.sandglass.query.sandbox.RunEnd;
import dev.sandglass.storage.Db;
import dev.sandglass.web.api.ApiParams;
import dev.sandglass.web.api.JsonWriter;
import dev.sandglass.web.api.PromFormat;
import dev.sandglass.web.api.SandboxJson;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "restarts", mixinStandardHelpOptions = true,
        description = "List sandbox restarts and stops from the stored history, with memory and CPU at the end of each run (offline, on a data dir).")
final class RestartsCommand implements Callable<Integer> {
    @Option(names = "--since", defaultValue = "24h", description = "from this long ago, or from a time (default: ${DEFAULT-VALUE})")
    String since;

    @Option(names = "--until", description = "up to this time: unix seconds or RFC 3339 (default: now)")
    String until;

    @Option(names = "--sandbox", description = "only this sandbox")
    String sandbox;

    @Mixin
    OfflineDataDir store = new OfflineDataDir();

    @Option(names = "--json", description = "print the HTTP API's JSON instead of a table")
    boolean json;

    @Override
    public Integer call() {
        long now = System.currentTimeMillis();
        long to = until == null ? now : ApiParams.parseTime("until", until);
        long from = ApiParams.parseSince("since", since, now);
        List<RunEnd> events;
        try (Db db = store.open()) {
            events = new RestartAnalysis(dev.sandglass.query.sandbox.VmmInstances.over(db)).between(from, to, sandbox, now);
        }
        if (json) {
            StringBuilder sb = new StringBuilder();
            JsonWriter w = new JsonWriter(sb).beginObject().field("status", "success").name("data").beginArray();
            for (RunEnd e : events) {
                SandboxJson.runEnd(e, w);
            }
            w.endArray().endObject();
            System.out.println(sb);
        } else {
            table(events, System.out);
        }
        return 0;
    }

    static void table(List<RunEnd> events, PrintStream out) {
        if (events.isEmpty()) {
            out.println("no restarts or stops in that time");
            return;
        }
        String fmt = "%-24s  %-20s  %-7s  %-9s  %10s  %8s  %-22s  %7s  %s%n";
        out.printf(fmt, "TIME", "SANDBOX", "EVENT", "RUNS", "UPTIME", "GAP", "MEMORY LAST/PEAK/LIMIT", "CPU %", "HINT");
        for (RunEnd e : events) {
            String runs = e.oldRunId() + (e.newRunId() == null ? "" : "->" + e.newRunId());
            String mem = mib(e.memoryLastBytes()) + "/" + mib(e.memoryPeakBytes()) + "/" + mib(e.memoryLimitBytes()) + " MiB";
            String hint = Boolean.TRUE.equals(e.memoryNearLimit())
                    ? String.format(Locale.ROOT, "memory near limit (peak %.0f%% in the last minute)", 100 * e.memoryPeakRatio()) : "";
            out.printf(fmt, SandboxJson.time(e.timeMs()).replace("\"", ""), e.sandbox(), e.kind().json(), runs,
                    seconds(e.uptimeSeconds()), e.gapSeconds() == null ? "-" : seconds(e.gapSeconds()), mem,
                    Double.isNaN(e.cpuLastPercent()) ? "-" : String.format(Locale.ROOT, "%.1f", e.cpuLastPercent()), hint);
        }
    }

    private static String mib(double bytes) {
        return Double.isNaN(bytes) ? "-" : String.format(Locale.ROOT, "%.0f", bytes / (1 << 20));
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "-" : PromFormat.value(Math.round(s * 10) / 10.0) + "s";
    }
}
