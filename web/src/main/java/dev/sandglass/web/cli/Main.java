package dev.sandglass.web.cli;

import dev.sandglass.storage.util.LazyPosix;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the sandglass jar: one command line, several subcommands. */
@Command(name = "sandglass", mixinStandardHelpOptions = true, version = "sandglass " + Main.VERSION,
        description = "Local metrics history for sandboxes and microVMs, with Prometheus-compatible PromQL.",
        subcommands = {ServeCommand.class, DemoCommand.class, ImportCommand.class, ExportCommand.class, QueryCommand.class,
                QueryRangeCommand.class, RestartsCommand.class, MetricsCommand.class, CapacityCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final String VERSION = "0.1.0";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Must run before any Chronicle class loads: no process of ours phones home.
        System.setProperty("chronicle.analytics.disable", "true");
        // Fewer classes in every process (issue 15): Chronicle's jnr-ffi POSIX binding loads on first
        // use instead of at start, and Vert.x resolves the listen host with the JDK instead of starting
        // Netty's DNS client (~60 classes; our outgoing HTTP goes through the JDK, which never used it).
        LazyPosix.install();
        // Chronicle msyncs each mapped chunk it lets go with MS_ASYNC by default: a no-op on Linux since
        // 2.6.19 (the kernel tracks dirty pages itself) that still loaded that binding within seconds.
        // Nothing changes for durability: what is stored reaches the page cache as before.
        System.setProperty("mappedFile.defaultSyncMode", "NONE");
        System.setProperty("vertx.disableDnsResolver", "true");
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
        cl.setParameterExceptionHandler(Main::badCommandLine);
        return cl.execute(args);
    }

    /**
     * A flag or argument that cannot be used: one line and exit 1, as the README promises. An
     * unknown flag or subcommand is a usage error: picocli's message with the usage, exit 2.
     */
    private static int badCommandLine(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        if (e instanceof CommandLine.UnmatchedArgumentException) {
            cmd.getErr().println(e.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr())) {
                cmd.usage(cmd.getErr());
            }
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        }
        String name = cmd.getCommandName().equals("sandglass") ? "sandglass" : "sandglass " + cmd.getCommandName();
        cmd.getErr().println(name + ": " + e.getMessage().replace('\n', ' ').trim());
        return 1;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
