package dev.sandglass.web.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the sandglass jar: one command line, several subcommands. */
@Command(name = "sandglass", mixinStandardHelpOptions = true, version = "sandglass " + Main.VERSION,
        description = "Local metrics history for sandboxes and microVMs, with Prometheus-compatible PromQL.",
        subcommands = {ServeCommand.class, DemoCommand.class, ImportCommand.class, ExportCommand.class, QueryCommand.class,
                QueryRangeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final String VERSION = "0.1.0";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Must run before any Chronicle class loads: no process of ours phones home.
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        System.setProperty("org.slf4j.simpleLogger.log.net.openhft", "warn");
        System.exit(run(args));
    }

    /** Runs a command line; returns the exit code (for tests). */
    static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("sandglass " + cmd.getCommandName() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
