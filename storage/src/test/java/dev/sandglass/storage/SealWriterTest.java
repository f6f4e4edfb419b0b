package dev.sandglass.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.head.Head;
import dev.sandglass.storage.rollup.RollupStore;
import dev.sandglass.storage.segment.Block;
import dev.sandglass.storage.segment.BlockHeader;
import dev.sandglass.storage.segment.BlockSizer;
import dev.sandglass.storage.segment.SegmentStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A seal writes its head batch by batch: each batch's blocks are appended before the next batch is gathered. */
class SealWriterTest {
    @TempDir
    Path dir;

    @Test
    void eachBatchIsAppendedBeforeTheNextIsGatheredAndNothingIsLostOrRepeated() {
        Head head = new Head();
        Random rnd = new Random(7);
        int series = 3_000;
        int samples = 20;
        for (int i = 0; i < samples; i++) {
            for (int ref = 0; ref < series; ref++) {
                head.add(ref, 1_000_000L + i * 15_000L, ref % 2 == 0 ? i : rnd.nextDouble());
            }
        }
        List<Head.Run> runs = head.runs();
        int[] gathered = {0};
        List<Integer> gatheredAtAppend = new ArrayList<>();
        try (SegmentStore segments = new SegmentStore(dir.resolve("segments"), false);
                RollupStore rollups = new RollupStore(dir.resolve("rollups"), false)) {
            SealWriter w = new SealWriter(segments, rollups, new SealedDuplicates(segments), new BlockSizer(), () -> 10_000,
                    ref -> {
                        gathered[0]++;
                        return "m" + (ref % 5);
                    },
                    (block, len) -> {
                        gatheredAtAppend.add(gathered[0]);
                        return segments.append(block, len);
                    });
            w.write(runs, 42, -1);
            // 60,000 samples in batches of 10,000: six batches, each appended as soon as gathered.
            assertEquals(6, gatheredAtAppend.size(), "blocks " + gatheredAtAppend);
            for (int k = 0; k < gatheredAtAppend.size(); k++) {
                assertEquals((k + 1) * series / 6, gatheredAtAppend.get(k), "series gathered when block " + k + " was appended");
            }
            List<BlockHeader> headers = segments.directory();
            assertEquals(6, headers.size());
            long[] got = new long[series];
            try (SegmentStore.Reader reader = segments.reader()) {
                for (int k = 0; k < headers.size(); k++) {
                    Block b = reader.read(headers.get(k));
                    assertEquals(k == headers.size() - 1 ? 42 : -1, b.walCheckpoint(), "only the last block carries the checkpoint");
                    int[] refs = b.refs();
                    b.prepare(refs);
                    for (int i = 0; i < refs.length; i++) {
                        Head.Run r = runs.get(refs[i]);
                        long[] ts = new long[r.size()];
                        double[] vs = new double[r.size()];
                        r.copyTo(ts, vs, 0);
                        assertArrayEquals(ts, b.timestamps(i), "times of " + refs[i]);
                        assertArrayEquals(vs, b.values(i), "values of " + refs[i]);
                        got[refs[i]] += b.timestamps(i).length;
                    }
                }
            }
            for (int ref = 0; ref < series; ref++) {
                assertEquals(samples, got[ref], "samples of series " + ref + " in all blocks");
            }
            assertTrue(rollups.lastIndex() >= 0, "the rollups were written after the blocks");
        }
    }
}
