package dev.sandglass.ingest.registry;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads a registry in a child process and prints the outcome: "ok N" or "KIND message". The
 * permission test runs it without the capabilities that let root read any file.
 */
public final class ReadProbe {
    private ReadProbe() {
    }

    /**
     * Runs the probe in a child JVM and returns its last line. As root, the child loses
     * CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from its bounding set (setpriv, util-linux): still
     * uid 0, so it can load the classes under /root, but file modes bind it as anyone else.
     */
    static String run(String home, Path shmDir) throws Exception {
        List<String> cmd = new ArrayList<>();
        if ("0".equals(RegistryReader.ourUid())) {
            cmd.addAll(List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search"));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ReadProbe.class.getName(), home, shmDir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("the probe (and setpriv, from util-linux) must run: " + out);
        }
        return out.lines().reduce((a, b) -> b).orElse("");
    }

    public static void main(String[] args) {
        RegistryLocator locator = new RegistryLocator(args[0], "--msb-home", Path.of(args[1]));
        try {
            System.out.println("ok " + new RegistryReader(locator, 100).read().size());
        } catch (RegistryException e) {
            System.out.println(e.kind() + " " + e.getMessage());
        }
    }
}
