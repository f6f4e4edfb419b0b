package dev.sandglass.ingest.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry is opened read-only: a reader that may not write the file (mode 0444, and as root
 * without the capabilities that override file modes) still reads it, and leaves it unchanged.
 */
class RegistryReadOnlyTest {
    @TempDir
    Path shm;

    @Test
    void aRegistryWeMayNotWriteIsStillRead() throws Exception {
        RegistryLocator locator = new RegistryLocator("/home/ro/.microsandbox", "--msb-home", shm);
        try (RegistryWriter w = RegistryWriter.create(locator.path(), 4)) {
            w.activate(0, 10, 1, 100, 1000, "a");
            w.writeSample(0, RegistryReaderTest.sample(5000, 7));
            byte[] before = Files.readAllBytes(locator.path());
            Files.setPosixFilePermissions(locator.path(), PosixFilePermissions.fromString("r--r--r--"));
            String out = ReadProbe.run(locator.home(), shm);
            // Opening it read-write would fail here with "access denied".
            assertEquals("ok 1", out);
            assertArrayEquals(before, Files.readAllBytes(locator.path()), "the reader wrote nothing");
        }
    }
}
