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

@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Evaluate a PromQL expression at one instant against a data dir, without a server.")
final class QueryCommand implements Callable<Integer> {
    @Parameters(paramLabel = "EXPR", description = "PromQL expression")
    String expr;

    @Option(names = "--time", description = "evaluation time: unix seconds or RFC 3339 (default: now)")
    String time;

    @Mixin
    OfflineDataDir store = new OfflineDataDir();

    @Option(names = "--json", description = "print the HTTP API's JSON instead of a table")
    boolean json;

    @Override
    public Integer call() {
        long t = time == null ? System.currentTimeMillis() : ApiParams.parseEvalTime("time", time);
        try (Db db = store.open()) {
            var ev = new Engine(EngineOptions.defaults()).instantEvaluation(db, expr, t, () -> false);
            ev.warnings().forEach(w -> System.err.println("warning: " + w));
            QueryOutput.print(ev.result(), json, System.out);
        }
        return 0;
    }
}
