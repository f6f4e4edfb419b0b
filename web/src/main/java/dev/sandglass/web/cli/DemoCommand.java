package dev.sandglass.web.cli;

import dev.sandglass.ingest.demo.DemoFleet;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run only the simulated fleet: it writes a real v3 registry that another `sandglass serve --msb-home` reads.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--msb-home", defaultValue = "/tmp/sandglass-demo-home",
            description = "the private microsandbox home the registry is derived from (default: ${DEFAULT-VALUE})")
    String home;

    @Option(names = "--sandboxes", defaultValue = "8", description = "how many sandboxes (default: ${DEFAULT-VALUE})")
    int sandboxes;

    @Override
    public Integer call() throws Exception {
        if (sandboxes < 1) {
            throw new IllegalArgumentException("--sandboxes needs at least 1");
        }
        Signals signals = new Signals();
        try (DemoFleet fleet = new DemoFleet(Path.of(home), sandboxes, System.nanoTime())) {
            fleet.start();
            System.out.println("demo fleet: " + sandboxes + " sandboxes writing " + fleet.registryPath());
            System.out.println("read it with: ./sandglass serve --msb-home " + home);
            System.out.println("Ctrl-C stops (and removes the registry)");
            signals.await();
        }
        return 0;
    }
}
