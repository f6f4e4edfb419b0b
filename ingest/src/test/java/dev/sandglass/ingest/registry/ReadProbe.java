package dev.sandglass.ingest.registry;

import java.nio.file.Path;

/**
 * Reads a registry in a child process and prints the outcome: "ok N" or "KIND message". The
 * permission test runs it without the capabilities that let root read any file.
 */
public final class ReadProbe {
    private ReadProbe() {
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
