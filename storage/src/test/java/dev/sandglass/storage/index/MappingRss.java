package dev.sandglass.storage.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/** For tests: what this process holds resident of some of its mappings, read from /proc/self/smaps. */
final class MappingRss {
    private MappingRss() {
    }

    /** Resident KiB of the mappings whose smaps header line {@code header} accepts. */
    static long kib(Predicate<String> header) throws IOException {
        long kib = 0;
        boolean in = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                in = header.test(line);
            } else if (in && line.startsWith("Rss:")) {
                kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return kib;
    }

    /** Resident KiB of the index's scratch-file mappings. */
    static long scratchKib() throws IOException {
        return kib(line -> line.contains("/.scratch-") && line.contains(".mem"));
    }

    /** Whether there is /proc/self/smaps and the kernel is Linux {@code major.minor} or later. */
    static boolean linuxAtLeast(int major, int minor) {
        if (!Files.isReadable(Path.of("/proc/self/smaps"))) {
            return false;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(System.getProperty("os.version", ""));
        if (!m.find()) {
            return false;
        }
        int ma = Integer.parseInt(m.group(1));
        return ma > major || ma == major && Integer.parseInt(m.group(2)) >= minor;
    }
}
