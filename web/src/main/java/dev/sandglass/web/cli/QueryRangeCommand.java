package dev.sandglass.web.cli;

import dev.sandglass.query.engine.Engine;
import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.Db;
import dev.sandglass.web.api.ApiParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "query-range", mixinStandardHelpOptions = true,
        description = "Evaluate a PromQL expression over a time range against a data dir, without a server.")
final class QueryRangeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "EXPR", description = "PromQL expression")
    String expr;

    @Option(names = "--start", required = true, description = "range start: unix seconds or RFC 3339")
    String start;

    @Option(names = "--end", required = true, description = "range end: unix seconds or RFC 3339")
    String end;

    @Option(names = "--step", required = true, description = "resolution: seconds or a duration such as 1m")
    String step;

    @Mixin
    OfflineDataDir store = new OfflineDataDir();

    @Option(names = "--json", description = "print the HTTP API's JSON instead of a table")
    boolean json;

    @Override
    public Integer call() {
        ApiParams.Range r = ApiParams.range(start, end, step);
        try (Db db = store.open()) {
            var ev = new Engine(EngineOptions.defaults()).rangeEvaluation(db, expr, r.startMs(), r.endMs(), r.stepMs(), () -> false);
            ev.warnings().forEach(w -> System.err.println("warning: " + w));
            QueryOutput.print(ev.result(), json, System.out);
        }
        return 0;
    }
}
