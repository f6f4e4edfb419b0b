package dev.sandglass.storage.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CycleFilesTest {
    @TempDir
    Path dir;

    /** The cycles the stores use: hourly segments, daily rollups, secondly ones in tests. */
    @Test
    void listsTheFileChronicleWroteUnderItsCycleAndNothingElse() throws Exception {
        for (RollCycle rc : List.of(RollCycles.FAST_HOURLY, RollCycles.FAST_DAILY, net.openhft.chronicle.queue.rollcycles.TestRollCycles.TEST_SECONDLY)) {
            Path q = dir.resolve(rc.toString());
            try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(q.toFile()).rollCycle(rc).build();
                    ExcerptAppender a = queue.createAppender()) {
                a.writeText("x");
                int cycle = queue.rollCycle().toCycle(a.lastIndexAppended());
                Files.writeString(q.resolve("not-a-cycle" + SingleChronicleQueue.SUFFIX), "");
                Map<Integer, File> files = CycleFiles.of(queue);
                assertEquals(Map.of(cycle, CycleFiles.file(queue, cycle)), files, rc + ": " + List.of(q.toFile().list()));
                assertTrue(files.get(cycle).isFile(), rc + ": the named file is Chronicle's");
            }
        }
    }
}
