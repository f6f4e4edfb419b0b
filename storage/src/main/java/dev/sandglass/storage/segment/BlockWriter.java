package dev.sandglass.storage.segment;

import com.github.luben.zstd.Zstd;
import dev.sandglass.storage.encoding.Checksum;
import dev.sandglass.storage.encoding.TimestampCodec;
import dev.sandglass.storage.encoding.ValueCodec;
import dev.sandglass.storage.encoding.Varints;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes one sealed block: the samples of many series over one time range, as columns. Series
 * whose timestamps are identical share one timestamp column; values are encoded per series and
 * packed into one frame per metric name, so a query for one metric decompresses one frame. Each
 * column section goes through zstd when that saves at least a tenth. Layout: storage/FORMAT.md.
 */
public final class BlockWriter {
    /** 2: version 1 followed by a CRC32C of the whole block; version 1 blocks are still read. */
    static final int VERSION = 2;
    static final int VERSION_WITHOUT_CHECKSUM = 1;

    static boolean knownVersion(int v) {
        return v == VERSION || v == VERSION_WITHOUT_CHECKSUM;
    }
    static final int ZSTD_LEVEL = 5;

    /**
     * One series' samples in time order, each timestamp once: {@code size} of them from
     * {@code offset} in both arrays (a seal packs many series into shared columns).
     */
    public record SeriesData(int ref, String metric, long[] timestamps, double[] values, int offset, int size) {
        public SeriesData(int ref, String metric, long[] timestamps, double[] values, int size) {
            this(ref, metric, timestamps, values, 0, size);
        }
    }

    private BlockWriter() {
    }

    /** The block's bytes; {@code walCheckpoint} is the last WAL index it covers, or -1. */
    public static byte[] encode(List<SeriesData> series, long walCheckpoint) {
        long minT = Long.MAX_VALUE;
        long maxT = Long.MIN_VALUE;
        int maxN = 0;
        for (SeriesData s : series) {
            minT = Math.min(minT, s.timestamps()[s.offset()]);
            maxT = Math.max(maxT, s.timestamps()[s.offset() + s.size() - 1]);
            maxN = Math.max(maxN, s.size());
        }
        // Timestamp groups: series with identical timestamp arrays share one column.
        Map<Integer, List<Integer>> byHash = new HashMap<>();
        List<SeriesData> groups = new ArrayList<>();
        int[] groupOf = new int[series.size()];
        for (int i = 0; i < series.size(); i++) {
            SeriesData s = series.get(i);
            int h = hash(s.timestamps(), s.offset(), s.size());
            List<Integer> candidates = byHash.computeIfAbsent(h, k -> new ArrayList<>());
            int found = -1;
            for (int g : candidates) {
                SeriesData o = groups.get(g);
                if (o.size() == s.size() && Arrays.equals(o.timestamps(), o.offset(), o.offset() + o.size(),
                        s.timestamps(), s.offset(), s.offset() + s.size())) {
                    found = g;
                    break;
                }
            }
            if (found < 0) {
                found = groups.size();
                groups.add(s);
                candidates.add(found);
            }
            groupOf[i] = found;
        }
        Varints.Out ts = new Varints.Out(groups.size() * 64);
        for (SeriesData g : groups) {
            TimestampCodec.encode(g.timestamps(), g.offset(), g.size(), ts);
        }
        // Value frames, one per metric name.
        Map<String, Varints.Out> frames = new LinkedHashMap<>();
        int[] frameOf = new int[series.size()];
        int[] offset = new int[series.size()];
        int[] length = new int[series.size()];
        // A frame's number by name: a search of a list was quadratic in metric names (churn of names).
        Map<String, Integer> frameNumbers = new HashMap<>();
        long[] scratch = new long[Math.max(1, maxN)];
        for (int i = 0; i < series.size(); i++) {
            SeriesData s = series.get(i);
            Varints.Out f = frames.get(s.metric());
            if (f == null) {
                f = new Varints.Out(s.size() * 2);
                frames.put(s.metric(), f);
                frameNumbers.put(s.metric(), frameNumbers.size());
            }
            frameOf[i] = frameNumbers.get(s.metric());
            offset[i] = f.length();
            ValueCodec.encode(s.values(), s.offset(), s.size(), f, scratch);
            length[i] = f.length() - offset[i];
        }
        Varints.Out out = new Varints.Out(ts.length() + 64 * series.size() + 1024);
        out.byte1(VERSION);
        out.long8(0); // header length, patched below
        out.long8(minT);
        out.long8(maxT);
        out.long8(walCheckpoint);
        out.uvarint(groups.size());
        for (SeriesData g : groups) {
            out.uvarint(g.size());
        }
        out.uvarint(frames.size());
        out.uvarint(series.size());
        for (int i = 0; i < series.size(); i++) {
            out.uvarint(series.get(i).ref());
            out.uvarint(groupOf[i]);
            out.uvarint(frameOf[i]);
            out.uvarint(offset[i]);
            out.uvarint(length[i]);
        }
        int headerEnd = out.length();
        byte[] a = out.array();
        for (int i = 0; i < 8; i++) {
            a[1 + i] = (byte) ((long) headerEnd >>> (8 * i));
        }
        section(ts, out);
        for (Varints.Out f : frames.values()) {
            section(f, out);
        }
        int len = out.length();
        byte[] block = Arrays.copyOf(out.array(), len + 4);
        Checksum.putInt(block, len, Checksum.crc32c(block, 0, len));
        return block;
    }

    /** Hash of {@code n} timestamps from {@code off}, without copying them out. */
    private static int hash(long[] t, int off, int n) {
        int h = 1;
        for (int i = off; i < off + n; i++) {
            h = 31 * h + Long.hashCode(t[i]);
        }
        return h;
    }

    /** flag (0 raw, 1 zstd), raw length, stored length, bytes. */
    private static void section(Varints.Out raw, Varints.Out out) {
        byte[] src = Arrays.copyOf(raw.array(), raw.length());
        byte[] z = raw.length() >= 64 ? Zstd.compress(src, ZSTD_LEVEL) : null;
        if (z != null && z.length < src.length * 9L / 10) {
            out.byte1(1);
            out.uvarint(src.length);
            out.uvarint(z.length);
            out.bytes(z, 0, z.length);
        } else {
            out.byte1(0);
            out.uvarint(src.length);
            out.uvarint(src.length);
            out.bytes(src, 0, src.length);
        }
    }
}
