package dev.sandglass.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * An idle index pages its scratch tables out: the process stops holding them and they read back
 * as they were written. The scratch file sits under target/ rather than the temp dir, which may be
 * a tmpfs (whose pages have nowhere to go without swap).
 */
class ScratchPageOutTest {
    @Test
    void pagedOutTablesLeaveTheResidentMemoryAndReadBackAsWritten() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(MappingRss.linuxAtLeast(5, 4), "MADV_PAGEOUT came with Linux 5.4");
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "pageout-");
        ScratchPages scratch = new ScratchPages(dir);
        try {
            PagedInts ints = new PagedInts(scratch);
            int n = 160 * (ScratchPages.PAGE / 4); // 160 pages: 10 MiB
            ints.ensure(n);
            for (int i = 0; i < n; i++) {
                ints.set(i, i * 31 + 7);
            }
            long written = MappingRss.scratchKib();
            assertTrue(written >= 10 * 1024, written + " KiB resident once written");
            long asked = scratch.pageOut();
            assertTrue(asked >= 10L << 20, asked + " bytes asked to page out");
            long after = MappingRss.scratchKib();
            assertTrue(written - after >= 9 * 1024, "paged out: " + written + " KiB written, " + after + " KiB after");
            for (int i = 0; i < n; i++) {
                assertEquals(i * 31 + 7, ints.get(i), "read back at " + i);
            }
            ints.set(3, -1);
            assertEquals(-1, ints.get(3), "written again after the page-out");
            assertEquals(0, scratch.heapPages());
        } finally {
            scratch.close();
        }
    }
}
