package dev.sandglass.storage;

import dev.sandglass.storage.segment.Block;
import dev.sandglass.storage.segment.BlockHeader;
import dev.sandglass.storage.segment.BlockWriter.SeriesData;
import dev.sandglass.storage.segment.SegmentStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps samples written twice (the same series and timestamp: a file imported twice, a
 * remote-write retry after a seal) out of the rollups a second time. Raw reads keep one sample
 * per timestamp; rollups add what they are given, so a writer hands its series through
 * {@link #withoutSealed} first: samples whose timestamp a raw block written before already holds
 * for the series are left out of the rollups (the raw block keeps them all).
 *
 * <p>Cheap in the usual case: per series the newest timestamp any raw block may hold for it (an
 * upper bound, from the block headers at first use, then raised by every write) is compared
 * with the series' first sample; only a series that starts at or before it has the blocks
 * overlapping it read (timestamps only). Every raw block counts, covered by rollups or not:
 * one without them gets its rollups at the next open, and until then readers compute them.
 * Limits: a duplicate of a sample whose raw block retention has dropped (or that an import
 * wrote as rollups only) cannot be seen; and where the second write has another value, raw
 * reads keep the last write while the rollups keep the first. Writers call it under the seal lock.
 */
final class SealedDuplicates {
    private final SegmentStore segments;
    /** Per ref, the newest timestamp a raw block may hold for it (Long.MIN_VALUE: none); null until first use. */
    private long[] newest;

    SealedDuplicates(SegmentStore segments) {
        this.segments = segments;
    }

    /**
     * {@code series} as the rollups should get them: the same objects where nothing is written
     * twice, else copies without the samples raw blocks up to {@code lastRawIndex} already hold.
     * Then counts the series as written (raises their bounds), whether or not the write follows.
     */
    List<SeriesData> withoutSealed(List<SeriesData> series, long lastRawIndex) {
        long[] bound = bounds();
        List<SeriesData> out = new ArrayList<>(series);
        List<Integer> suspects = new ArrayList<>();
        for (int k = 0; k < series.size(); k++) {
            SeriesData s = series.get(k);
            if (s.size() > 0 && s.ref() < bound.length && s.timestamps()[s.offset()] <= bound[s.ref()]) {
                suspects.add(k);
            }
        }
        if (!suspects.isEmpty()) {
            // The blocks any suspect may overlap, found once: an import's batch spans half an hour.
            long from = Long.MAX_VALUE;
            long to = Long.MIN_VALUE;
            for (int k : suspects) {
                SeriesData s = series.get(k);
                from = Math.min(from, s.timestamps()[s.offset()]);
                to = Math.max(to, Math.min(bound[s.ref()], s.timestamps()[s.offset() + s.size() - 1]));
            }
            List<BlockHeader> candidates = new ArrayList<>();
            for (BlockHeader h : segments.directory()) {
                if (h.index() <= lastRawIndex && h.maxT() >= from && h.minT() <= to) {
                    candidates.add(h);
                }
            }
            try (SegmentStore.Reader reader = segments.reader()) {
                for (int k : suspects) {
                    out.set(k, filter(series.get(k), bound[series.get(k).ref()], candidates, reader));
                }
            }
        }
        raise(series);
        return out;
    }

    private static SeriesData filter(SeriesData s, long bound, List<BlockHeader> candidates, SegmentStore.Reader reader) {
        long first = s.timestamps()[s.offset()];
        long last = Math.min(bound, s.timestamps()[s.offset() + s.size() - 1]);
        boolean[] twice = null;
        for (BlockHeader h : candidates) {
            if (h.maxT() < first || h.minT() > last || !h.has(s.ref())) {
                continue;
            }
            Block b = reader.read(h);
            int i = b.indexOf(s.ref());
            if (i < 0) {
                continue;
            }
            long[] held = b.timestamps(i);
            int n = b.sampleCount(i);
            // Both in time order: one pass.
            int a = 0;
            for (int j = 0; j < s.size(); j++) {
                long t = s.timestamps()[s.offset() + j];
                while (a < n && held[a] < t) {
                    a++;
                }
                if (a < n && held[a] == t) {
                    twice = twice == null ? new boolean[s.size()] : twice;
                    twice[j] = true;
                }
            }
        }
        if (twice == null) {
            return s;
        }
        long[] t = new long[s.size()];
        double[] v = new double[s.size()];
        int m = 0;
        for (int j = 0; j < s.size(); j++) {
            if (!twice[j]) {
                t[m] = s.timestamps()[s.offset() + j];
                v[m] = s.values()[s.offset() + j];
                m++;
            }
        }
        return new SeriesData(s.ref(), s.metric(), t, v, 0, m);
    }

    /** The bounds, from the block headers on first use: each series' newest block end. */
    private long[] bounds() {
        if (newest == null) {
            long[] b = new long[64];
            Arrays.fill(b, Long.MIN_VALUE);
            for (BlockHeader h : segments.directory()) {
                for (int ref : h.refs().toArray()) {
                    b = ensure(b, ref);
                    b[ref] = Math.max(b[ref], h.maxT());
                }
            }
            newest = b;
        }
        return newest;
    }

    private void raise(List<SeriesData> series) {
        long[] b = newest;
        for (SeriesData s : series) {
            if (s.size() > 0) {
                b = ensure(b, s.ref());
                b[s.ref()] = Math.max(b[s.ref()], s.timestamps()[s.offset() + s.size() - 1]);
            }
        }
        newest = b;
    }

    private static long[] ensure(long[] b, int ref) {
        if (ref < b.length) {
            return b;
        }
        int old = b.length;
        long[] grown = Arrays.copyOf(b, Math.max(ref + 1, old * 2));
        Arrays.fill(grown, old, grown.length, Long.MIN_VALUE);
        return grown;
    }
}
