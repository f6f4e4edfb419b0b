package dev.sandglass.storage.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pages out this process's mappings of some files (the index's Chronicle Map generations, whose
 * mappings Chronicle keeps to itself): their address ranges are read from {@code /proc/self/maps}
 * and given to {@code madvise(MADV_PAGEOUT)} (see {@link ScratchRelease#pageOut(long, long)}); a
 * caller that pages out often keeps the ranges and reads them again now and then (Chronicle maps
 * more of a file when a map grows past its capacity).
 * The advice keeps every byte as it is: the kernel writes dirty pages to the file and frees
 * them, and the next access faults a page back in. A mapping closed between the read and the
 * advice makes the call fail harmlessly. Where there is no {@code /proc/self/maps} (not Linux)
 * nothing is done.
 */
final class MappedFilePages {
    private static final Path MAPS = Path.of("/proc/self/maps");

    private MappedFilePages() {
    }

    /**
     * The address ranges (start, length pairs) at which this process maps {@code files} now; empty
     * when none or not supported.
     */
    static long[] ranges(Collection<Path> files) {
        if (files.isEmpty() || !ScratchRelease.pageOutWorks()) {
            return new long[0];
        }
        Set<String> names = files.stream().map(p -> p.toAbsolutePath().normalize().toString()).collect(Collectors.toSet());
        String text;
        try {
            text = Files.readString(MAPS);
        } catch (IOException | RuntimeException e) {
            return new long[0];
        }
        long[] out = new long[16];
        int n = 0;
        for (String line : text.split("\n")) {
            // "start-end perms offset dev inode   pathname": the pathname is the part from its first '/'.
            int slash = line.indexOf('/');
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (slash < 0 || dash <= 0 || space <= dash || !names.contains(line.substring(slash))) {
                continue;
            }
            if (n + 2 > out.length) {
                out = java.util.Arrays.copyOf(out, out.length * 2);
            }
            long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
            out[n++] = start;
            out[n++] = Long.parseUnsignedLong(line.substring(dash + 1, space), 16) - start;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * Bytes of {@code ranges} (from {@link #ranges}) the kernel took to page out; -1 when it refused
     * one (unmapped since it was found, or no support: look the ranges up again next time).
     */
    static long pageOut(long[] ranges) {
        long asked = 0;
        for (int i = 0; i + 1 < ranges.length; i += 2) {
            if (!ScratchRelease.pageOut(ranges[i], ranges[i + 1])) {
                return -1;
            }
            asked += ranges[i + 1];
        }
        return asked;
    }
}
