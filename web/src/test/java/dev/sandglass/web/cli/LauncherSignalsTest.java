package dev.sandglass.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The launcher's first serve after a build (java under the launcher's shell, which keeps the
 * class-data archive only from a clean stop) stops cleanly however the stop is sent: to the whole
 * process group (a terminal's Ctrl-C, systemd's stop), to the launcher, or to java alone (a Ctrl-C
 * the launcher missed). A stand-in jar runs {@link SignalsProbe} in place of serve: the same
 * {@link Signals}, a JVM start of a second, not serve's.
 */
class LauncherSignalsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} to the {1}")
    @CsvSource({"INT, group", "TERM, group", "INT, java", "TERM, launcher", "INT, launcher"})
    void oneStopIsACleanStop(String signal, String to) throws Exception {
        Path out = dir.resolve("out.txt");
        if (to.equals("java")) { // the launcher gives java its SIGINT back with coreutils' env (8.31 on)
            assumeTrue(new ProcessBuilder("env", "--default-signal=INT", "true").start().waitFor() == 0, "env --default-signal");
        }
        Process launcher = start(out);
        long target = switch (to) {
            case "group" -> -launcher.pid(); // setsid: the launcher leads its own group
            case "java" -> launcher.toHandle().children().findFirst().orElseThrow().pid();
            default -> launcher.pid();
        };
        kill(signal, target);
        assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "still running 30 s after SIG" + signal + ":\n" + read(out));
        String said = read(out);
        assertEquals(0, launcher.exitValue(), said);
        assertTrue(said.contains("probe: stopped cleanly"), said);
        assertEquals(1, said.split("sandglass: stopping", -1).length - 1, said);
        assertFalse(said.contains("forced exit"), said);
        assertTrue(Files.exists(dir.resolve("web/target/sandglass-serve.jsa")), "a clean stop keeps the archive");
    }

    @ParameterizedTest(name = "{0} twice to the group")
    @CsvSource({"INT", "TERM"})
    void aSecondStopForcesExit(String signal) throws Exception {
        Path out = dir.resolve("out.txt");
        Process launcher = start(out, "--slow-stop");
        kill(signal, -launcher.pid());
        waitFor(out, "sandglass: stopping");
        kill(signal, -launcher.pid());
        assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), read(out));
        String said = read(out);
        assertEquals(130, launcher.exitValue(), said);
        assertTrue(said.contains("forced exit"), said);
        assertFalse(Files.exists(dir.resolve("web/target/sandglass-serve.jsa")), "a forced exit keeps no archive");
    }

    @ParameterizedTest(name = "{0} to the group")
    @CsvSource({"INT", "TERM"})
    void aStopWhileTheLauncherChecksTheBuildStartsNoJava(String signal) throws Exception {
        // A find that takes a second (the launcher's own work before java: tens of ms otherwise),
        // and ends normally on the signal: bash then takes it as handled by the child and goes on.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path marker = dir.resolve("checking");
        Files.writeString(bin.resolve("find"), "#!/bin/sh\ntrap 'exit 0' INT TERM\n: > '" + marker + "'\nsleep 1 & wait\n");
        bin.resolve("find").toFile().setExecutable(true);
        Path out = dir.resolve("out.txt");
        Process launcher = launch(out, Map.of("PATH", bin + ":" + System.getenv("PATH")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(marker)) {
            assertTrue(System.nanoTime() < deadline && launcher.isAlive(), "the launcher never checked the build:\n" + read(out));
            Thread.sleep(5);
        }
        kill(signal, -launcher.pid());
        assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "still running 30 s after SIG" + signal + ":\n" + read(out));
        assertEquals(signal.equals("INT") ? 130 : 143, launcher.exitValue(), read(out));
        assertFalse(read(out).contains("probe: ready"), read(out));
    }

    /** The launcher beside a stand-in jar, in its own session; returns once the probe waits for signals. */
    private Process start(Path out, String... more) throws Exception {
        Process p = launch(out, Map.of(), more);
        waitFor(out, "probe: ready");
        return p;
    }

    private Process launch(Path out, Map<String, String> env, String... more) throws Exception {
        Path script = Paths.get("").toAbsolutePath().getParent().resolve("sandglass");
        assumeTrue(Files.isRegularFile(script) && Files.isDirectory(Path.of("/proc/self")) && Files.isExecutable(Path.of("/usr/bin/setsid")),
                "needs the launcher, Linux's /proc and setsid");
        Path launcher = dir.resolve("sandglass");
        Files.copy(script, launcher);
        launcher.toFile().setExecutable(true);
        Files.createDirectories(dir.resolve("web/target"));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, SignalsProbe.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ",
                Path.of(Signals.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toUri().toString(),
                Path.of(SignalsProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toUri().toString()));
        try (OutputStream jar = new JarOutputStream(Files.newOutputStream(dir.resolve("web/target/sandglass.jar")), manifest)) {
            jar.flush();
        }
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("/usr/bin/setsid", launcher.toString(), "serve",
                "--data-dir", dir.resolve("data").toString()));
        cmd.addAll(java.util.List.of(more));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().putAll(env);
        return pb.start();
    }

    private static void waitFor(Path out, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!read(out).contains(line)) {
            assertTrue(System.nanoTime() < deadline, "no '" + line + "' in 30 s:\n" + read(out));
            Thread.sleep(20);
        }
    }

    private static void kill(String signal, long target) throws Exception {
        Process k = new ProcessBuilder("bash", "-c", "kill -" + signal + " -- " + target).inheritIO().start(); // no procps needed
        assertEquals(0, k.waitFor(), "kill -" + signal + " " + target);
    }

    private static String read(Path out) throws IOException {
        return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
    }
}
