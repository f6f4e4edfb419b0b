package dev.sandglass.web.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs `sandglass serve --demo` (a real process writing a real v3 registry, with seals and
 * retention every few hundred ms so kills land in them) and kills it with SIGKILL at random
 * moments, many times. Before each kill it reads every sample the server acknowledges (the API
 * shows only committed samples); after each restart every one must be there, once, with the
 * same value, and ingest must resume. Prints kills survived and samples lost.
 * Usage: CrashLoop KILLS [SEED] [JAR]: without JAR, the sandglass classes on this classpath.
 */
public final class CrashLoop {
    private static final Pattern SERVING = Pattern.compile("serving http://127\\.0\\.0\\.1:(\\d+)/");

    /** What a run found. */
    record Result(int kills, long acknowledged, long lost, long wrong, List<String> failures) {
        String line() {
            return "crash loop: " + kills + " kills survived, " + acknowledged + " acknowledged samples checked after each restart, "
                    + lost + " lost, " + wrong + " changed or extra" + (failures.isEmpty() ? "" : "; failures: " + failures);
        }
    }

    static final boolean VERBOSE = Boolean.getBoolean("crashloop.verbose");
    private final Path dir;
    private final List<String> launcher;
    private final Random rnd;

    CrashLoop(Path dir, List<String> launcher, long seed) {
        this.dir = dir;
        this.launcher = launcher;
        this.rnd = new Random(seed);
    }

    /** java with the flags Chronicle needs, then either -jar JAR or this classpath's Main. */
    static List<String> launcher(String jar, String... props) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle")) {
                cmd.add(arg);
            }
        }
        cmd.add("-Dchronicle.analytics.disable=true");
        cmd.add("-Xmx256m");
        cmd.addAll(List.of(props));
        if (jar != null) {
            cmd.addAll(List.of("-jar", jar));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.sandglass.web.cli.Main"));
        }
        return cmd;
    }

    record Server(Process process, int port, CompletableFuture<Void> drained) {
    }

    private Server start() throws Exception {
        return start(launcher, List.of("serve", "--demo=4", "--data-dir", dir.toString(), "--listen", "127.0.0.1:0", "--no-warmup",
                "--collect-interval", "100ms", "--retention", "100y", "--retention-size", "10GiB"), null);
    }

    /** Starts a sandglass command that listens; returns once it says on which port. Its output goes to {@code log} if given. */
    static Server start(List<String> launcher, List<String> args, StringBuffer log) throws Exception {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder said = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String line;
        int port = -1;
        while (port < 0 && (line = r.readLine()) != null) {
            said.append(line).append('\n');
            if (log != null) {
                log.append(line).append('\n');
            }
            Matcher m = SERVING.matcher(line);
            if (m.find()) {
                port = Integer.parseInt(m.group(1));
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        if (port < 0) {
            p.destroyForcibly();
            throw new IOException("serve did not start:\n" + said);
        }
        // Keep reading its output so it never blocks on a full pipe.
        CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> {
            try {
                String l;
                while ((l = r.readLine()) != null) {
                    if (log != null) {
                        log.append(l).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // killed
            }
        });
        return new Server(p, port, drained);
    }

    private static void awaitCollections(Server s, long atLeast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (StoredSamples.status(s.port(), "/-/ready") == 200) {
                StoredSamples own = StoredSamples.fetch(s.port(), "sandglass_ingest_collections_total");
                if (own.count() >= atLeast) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new IOException("ingest did not resume: fewer than " + atLeast + " collections stored within 60 s");
    }

    private static void kill(Server s) throws Exception {
        s.process().destroyForcibly(); // SIGKILL
        s.process().waitFor(30, TimeUnit.SECONDS);
        s.drained().get(30, TimeUnit.SECONDS);
    }

    Result run(int kills) throws Exception {
        long acknowledged = 0;
        long lost = 0;
        long wrong = 0;
        List<String> failures = new ArrayList<>();
        StoredSamples acked = null;
        int survived = 0;
        for (int i = 0; i <= kills; i++) {
            long t0 = System.nanoTime();
            Server s = start();
            long started = System.nanoTime();
            try {
                long before = acked == null ? 0 : collectionsIn(acked);
                // Ingest resumes: more collections stored than were acknowledged before the kill.
                awaitCollections(s, before + 3);
                if (VERBOSE) {
                    System.out.printf("restart %d: listening after %d ms, collecting after %d ms more%n", i,
                            (started - t0) / 1_000_000, (System.nanoTime() - started) / 1_000_000);
                }
                if (acked != null) {
                    StoredSamples now = StoredSamples.fetch(s.port(), "{__name__=~\".+\"}");
                    long[] c = StoredSamples.compare(acked, now);
                    acknowledged += acked.count();
                    lost += c[0];
                    wrong += c[1];
                    if (c[0] + c[1] > 0) {
                        failures.add("restart " + i + ": " + c[0] + " lost, " + c[1] + " changed or extra");
                    }
                    survived++;
                }
                if (i == kills) {
                    break;
                }
                Thread.sleep(200 + rnd.nextInt(1500));
                acked = StoredSamples.fetch(s.port(), "{__name__=~\".+\"}");
                // A random moment after the snapshot: seals run every 300 ms, retention every 200 ms.
                Thread.sleep(rnd.nextInt(400));
            } finally {
                kill(s);
            }
        }
        // The last serve was killed too, so its demo registry (shared memory, unlinked only by a
        // clean stop) is left behind: removed here, or every run of the test would leave one.
        java.nio.file.Files.deleteIfExists(new dev.sandglass.ingest.registry.RegistryLocator(
                dir.toAbsolutePath().resolve("demo-home").toString(), "serve --demo", dev.sandglass.ingest.registry.RegistryLocator.DEFAULT_SHM).path());
        return new Result(survived, acknowledged, lost, wrong, failures);
    }

    private static long collectionsIn(StoredSamples s) {
        return s.series.entrySet().stream().filter(e -> e.getKey().contains("sandglass_ingest_collections_total"))
                .mapToLong(e -> e.getValue().size()).sum();
    }

    public static void main(String[] args) throws Exception {
        int kills = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : System.nanoTime();
        String jar = args.length > 2 ? args[2] : null;
        Path dir = Files.createTempDirectory("sandglass-crashloop-");
        System.out.println("crash loop: " + kills + " kills, seed " + seed + ", data dir " + dir);
        long t0 = System.nanoTime();
        Result r = new CrashLoop(dir.resolve("data"), launcher(jar, "-Dsandglass.seal.interval.ms=300",
                "-Dsandglass.retention.interval.ms=200"), seed).run(kills);
        System.out.println(r.line());
        ImportKills.Result imp = new ImportKills(dir.resolve("import"), launcher(jar), seed).run(Math.max(1, kills / 2));
        System.out.println(imp.line());
        System.out.printf("took %.0f s%n", (System.nanoTime() - t0) / 1e9);
        boolean ok = r.lost() + r.wrong() + imp.lost() + imp.wrong() == 0 && r.failures().isEmpty();
        if (ok) {
            try (var all = Files.walk(dir)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } else {
            System.out.println("data dir kept for inspection: " + dir);
        }
        System.exit(ok ? 0 : 1);
    }
}
