package dev.sandglass.web.cli;

import dev.sandglass.storage.Db;
import dev.sandglass.web.api.SandboxText;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Print one running sandbox's latest values in the Prometheus text format (like kata-runtime metrics), from a data dir.")
final class MetricsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SANDBOX", description = "sandbox name")
    String sandbox;

    @Mixin
    OfflineDataDir store = new OfflineDataDir();

    @Override
    public Integer call() {
        try (Db db = store.open()) {
            System.out.print(SandboxText.latest(dev.sandglass.query.sandbox.VmmInstances.over(db), sandbox, System.currentTimeMillis()));
        }
        return 0;
    }
}
