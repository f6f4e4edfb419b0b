package dev.sandglass.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pre-faulting touches pages past the write position with a compare-and-swap of 0 with 0: it must
 * never change what the WAL replays. Batches are full-sized (so the pre-fault reaches into the
 * chunk overlap and past the first chunk) and mostly zero bits (so page-aligned words it compares
 * are often 0 in written data too). The log is closed (nothing is sealed at this level), reopened
 * and compared sample for sample, bit for bit, with what was appended; a log written without
 * pre-faulting is checked the same way. CrashTest covers kill -9 with pre-faulting in the loop.
 */
class WalPrefaultTest {
    @TempDir
    Path dir;

    /** One batch per round, sized like a full registry collection: ~190 KB per excerpt. */
    private static final int SAMPLES = 16_384;
    /** Enough rounds to write past the first 16 MB chunk. */
    private static final int ROUNDS = 100;

    private record Sample(int ref, long t, long bits) {
    }

    /** What was appended, in order, as primitive columns (1.6M samples: no object per sample). */
    private static final class Expected {
        final int[] refs = new int[SAMPLES * ROUNDS];
        final long[] ts = new long[SAMPLES * ROUNDS];
        final long[] bits = new long[SAMPLES * ROUNDS];
    }

    private static Expected writeAll(Path walDir, boolean prefault) {
        Expected e = new Expected();
        SplittableRandom rnd = new SplittableRandom(42);
        int[] refs = new int[SAMPLES];
        long[] ts = new long[SAMPLES];
        double[] vs = new double[SAMPLES];
        try (Wal wal = new Wal(walDir, false)) {
            wal.prefault(); // before any write: nothing mapped yet, must be a no-op
            for (int r = 0; r < ROUNDS; r++) {
                for (int i = 0; i < SAMPLES; i++) {
                    refs[i] = i;
                    ts[i] = 1_700_000_000_000L + r * 1000L + (i % 7 == 0 ? -3 : 0);
                    // Mostly zeros, some -0.0 and staleness NaNs, some random bit patterns.
                    int kind = rnd.nextInt(8);
                    vs[i] = kind < 5 ? 0.0 : kind == 5 ? -0.0 : kind == 6 ? Double.longBitsToDouble(0x7ff0000000000002L)
                            : Double.longBitsToDouble(rnd.nextLong());
                    int k = r * SAMPLES + i;
                    e.refs[k] = refs[i];
                    e.ts[k] = ts[i];
                    e.bits[k] = Double.doubleToRawLongBits(vs[i]);
                }
                wal.append(refs, ts, vs, SAMPLES);
                if (prefault) {
                    wal.prefault();
                    wal.prefault(); // twice: idempotent
                }
            }
        }
        return e;
    }

    /** Reopens the log and checks every replayed sample against what was appended, bit for bit. */
    private static void assertReplays(Path walDir, Expected e) {
        int[] seen = {0};
        List<String> mismatches = new ArrayList<>();
        try (Wal wal = new Wal(walDir, false)) {
            long n = wal.replay(-1, (ref, t, v) -> {
                int k = seen[0]++;
                long bits = Double.doubleToRawLongBits(v);
                if (mismatches.size() < 5 && (k >= e.refs.length || ref != e.refs[k] || t != e.ts[k] || bits != e.bits[k])) {
                    mismatches.add("sample " + k + ": got ref " + ref + " t " + t + " bits " + Long.toHexString(bits));
                }
            });
            assertEquals(ROUNDS, n, "excerpts replayed from " + walDir);
        }
        assertEquals(List.of(), mismatches, "replay of " + walDir);
        assertEquals(e.refs.length, seen[0], "samples replayed from " + walDir);
    }

    @Test
    void prefaultingNeverChangesWhatIsReplayed() {
        Expected prefaulted = writeAll(dir.resolve("prefaulted"), true);
        assertReplays(dir.resolve("prefaulted"), prefaulted);
        Expected plain = writeAll(dir.resolve("plain"), false);
        assertReplays(dir.resolve("plain"), plain);
        assertEquals(java.util.Arrays.hashCode(plain.bits), java.util.Arrays.hashCode(prefaulted.bits), "both logs were fed the same samples");
    }

    @Test
    void writesAfterAPrefaultLandWhereTheyWouldHaveAndPrefaultAfterCloseIsANoOp() {
        Path walDir = dir.resolve("wal");
        int[] refs = {1, 2};
        long[] ts = {10, 11};
        double[] vs = {0.0, 1.0};
        Wal wal = new Wal(walDir, false);
        wal.append(refs, ts, vs, 2);
        wal.prefault();
        vs[0] = 2.0;
        wal.append(refs, ts, vs, 2);
        wal.close();
        wal.prefault();
        List<Sample> out = new ArrayList<>();
        try (Wal again = new Wal(walDir, false)) {
            again.replay(-1, (ref, t, v) -> out.add(new Sample(ref, t, Double.doubleToRawLongBits(v))));
        }
        assertEquals(List.of(new Sample(1, 10, 0L), new Sample(2, 11, Double.doubleToRawLongBits(1.0)),
                new Sample(1, 10, Double.doubleToRawLongBits(2.0)), new Sample(2, 11, Double.doubleToRawLongBits(1.0))), out);
    }
}
