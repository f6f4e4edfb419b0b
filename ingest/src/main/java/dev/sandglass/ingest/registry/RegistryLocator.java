package dev.sandglass.ingest.registry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Where the registry of a microsandbox home lives: home from --msb-home, else $MSB_HOME verbatim,
 * else ~/.microsandbox (the string as given: its bytes are hashed, not a normalised path); the shm object is {@code msb-met-<H>-v3} with H the 16 lower-case hex
 * digits of 64-bit FNV-1a over the home path's bytes.
 */
public record RegistryLocator(String home, String homeSource, Path shmDir) {
    public static final Path DEFAULT_SHM = Path.of("/dev/shm");

    /** Resolves the home as microsandbox does; {@code flag} is the --msb-home value or null. */
    public static RegistryLocator resolve(String flag, Path shmDir) {
        if (flag != null && !flag.isEmpty()) {
            return new RegistryLocator(flag, "--msb-home", shmDir);
        }
        String env = System.getenv("MSB_HOME");
        if (env != null && !env.isEmpty()) {
            return new RegistryLocator(env, "$MSB_HOME", shmDir);
        }
        return new RegistryLocator(System.getProperty("user.home") + "/.microsandbox", "the default ~/.microsandbox", shmDir);
    }

    public static String fnv1a64Hex(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return String.format("%016x", h);
    }

    public String objectName() {
        return "msb-met-" + fnv1a64Hex(home.getBytes(StandardCharsets.UTF_8)) + "-v3";
    }

    public Path path() {
        return shmDir.resolve(objectName());
    }

    /** "home /x (from $MSB_HOME)", for messages. */
    public String describeHome() {
        return "home " + home + " (from " + homeSource + ")";
    }
}
