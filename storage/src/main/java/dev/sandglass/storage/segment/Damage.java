package dev.sandglass.storage.segment;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data dir's {@code damaged/} directory: copies of damaged files (nothing damaged is ever
 * deleted) and {@code blocks.txt}, the blocks set aside by index, one per line with where and
 * why, so a restart leaves them out too. A read-only store reads the list and writes nothing.
 */
public final class Damage {
    private static final Logger LOG = LoggerFactory.getLogger(Damage.class);

    private final Path dir;
    private final boolean readOnly;

    public Damage(Path dir, boolean readOnly) {
        this.dir = dir;
        this.readOnly = readOnly;
    }

    public Path dir() {
        return dir;
    }

    /** Block indexes listed as set aside. */
    synchronized Set<Long> setAsideBlocks() {
        Set<Long> out = new HashSet<>();
        Path list = dir.resolve("blocks.txt");
        if (!Files.exists(list)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                int sp = line.indexOf(' ');
                try {
                    out.add(Long.parseUnsignedLong(sp < 0 ? line : line.substring(0, sp), 16));
                } catch (NumberFormatException e) {
                    // a torn last line: nothing listed on it
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", list, e.getMessage());
        }
        return out;
    }

    synchronized void setAside(long blockIndex, String why) {
        LOG.error("{}: set aside (listed in {})", why, dir.resolve("blocks.txt"));
        if (readOnly) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("blocks.txt"), Long.toHexString(blockIndex) + " " + Instant.now() + " " + why + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("cannot list the damaged block in {}: {}", dir, e.getMessage());
        }
    }

    /** Copies a damaged file into damaged/ (once per file name and size); returns the copy or null. */
    public synchronized Path copyAside(File f) {
        if (readOnly || f == null || !f.exists()) {
            return null;
        }
        try {
            Files.createDirectories(dir);
            Path copy = dir.resolve(f.getName() + "." + f.length() + ".damaged");
            if (!Files.exists(copy)) {
                Files.copy(f.toPath(), copy, StandardCopyOption.REPLACE_EXISTING);
            }
            return copy;
        } catch (IOException e) {
            LOG.warn("cannot copy damaged {} aside: {}", f, e.getMessage());
            return null;
        }
    }
}
