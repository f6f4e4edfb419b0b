package dev.sandglass.storage.segment;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.encoding.Checksum;
import dev.sandglass.storage.encoding.TimestampCodec;
import dev.sandglass.storage.encoding.ValueCodec;
import dev.sandglass.storage.encoding.Varints;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes blocks (the layout of {@link BlockWriter}, storage/FORMAT.md) into buffers it keeps
 * from block to block: the timestamp column, the value frames, the block itself, zstd's output
 * and context. A seal encodes a few dozen blocks of ~3 MB each; allocating those buffers afresh
 * for every block (and copying each section and the block once more) made ~15 MB of garbage a
 * block that was still reachable at many young collections, so the serial collector promoted
 * it and grew the old generation through every seal. Single-threaded; the bytes of the last
 * block stay valid until the next {@link #encode}. Close it to free zstd's native context.
 */
public final class BlockEncoder implements AutoCloseable {
    private final Varints.Out ts = new Varints.Out(4096);
    private final List<Varints.Out> frames = new ArrayList<>();
    private final Map<String, Integer> frameNumbers = new HashMap<>();
    private final Varints.Out out = new Varints.Out(4096);
    private byte[] compressed = new byte[0];
    private long[] scratch = new long[16];
    private int[] groupOf = new int[0];
    private int[] frameOf = new int[0];
    private int[] offset = new int[0];
    private int[] length = new int[0];
    /** Timestamp groups: open addressing by hash, slot = group + 1 (0: empty). */
    private int[] slots = new int[0];
    private int[] groupHash = new int[0];
    private int[] groupSeries = new int[0];
    private ZstdCompressCtx zstd;

    /** Encodes one block of {@code series} into this encoder's buffer; returns its length (see {@link #bytes}). */
    public int encode(List<BlockWriter.SeriesData> series, long walCheckpoint) {
        int n = series.size();
        long minT = Long.MAX_VALUE;
        long maxT = Long.MIN_VALUE;
        int maxN = 0;
        for (BlockWriter.SeriesData s : series) {
            minT = Math.min(minT, s.timestamps()[s.offset()]);
            maxT = Math.max(maxT, s.timestamps()[s.offset() + s.size() - 1]);
            maxN = Math.max(maxN, s.size());
        }
        if (groupOf.length < n) {
            int cap = Math.max(n, groupOf.length + groupOf.length / 2);
            groupOf = new int[cap];
            frameOf = new int[cap];
            offset = new int[cap];
            length = new int[cap];
            groupHash = new int[cap];
            groupSeries = new int[cap];
        }
        int groups = group(series);
        ts.reset();
        for (int g = 0; g < groups; g++) {
            BlockWriter.SeriesData s = series.get(groupSeries[g]);
            TimestampCodec.encode(s.timestamps(), s.offset(), s.size(), ts);
        }
        // Value frames, one per metric name, in order of first appearance.
        frameNumbers.clear();
        if (scratch.length < maxN) {
            scratch = new long[maxN];
        }
        for (int i = 0; i < n; i++) {
            BlockWriter.SeriesData s = series.get(i);
            Integer f = frameNumbers.get(s.metric());
            if (f == null) {
                f = frameNumbers.size();
                frameNumbers.put(s.metric(), f);
                if (frames.size() <= f) {
                    frames.add(new Varints.Out(s.size() * 2));
                }
                frames.get(f).reset();
            }
            Varints.Out frame = frames.get(f);
            frameOf[i] = f;
            offset[i] = frame.length();
            ValueCodec.encode(s.values(), s.offset(), s.size(), frame, scratch);
            length[i] = frame.length() - offset[i];
        }
        out.reset();
        out.byte1(BlockWriter.VERSION);
        out.long8(0); // header length, patched below
        out.long8(minT);
        out.long8(maxT);
        out.long8(walCheckpoint);
        out.uvarint(groups);
        for (int g = 0; g < groups; g++) {
            out.uvarint(series.get(groupSeries[g]).size());
        }
        out.uvarint(frameNumbers.size());
        out.uvarint(n);
        for (int i = 0; i < n; i++) {
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
        section(ts);
        for (int f = 0; f < frameNumbers.size(); f++) {
            section(frames.get(f));
        }
        int len = out.length();
        out.long8(0); // room for the checksum (4 bytes) in the buffer
        Checksum.putInt(out.array(), len, Checksum.crc32c(out.array(), 0, len));
        return len + 4;
    }

    /** The bytes of the block last encoded (its length as {@link #encode} returned), valid until the next. */
    public byte[] bytes() {
        return out.array();
    }

    /**
     * Puts series with identical timestamps in one group (the first such series stands for it):
     * fills groupOf and groupSeries, returns the number of groups.
     */
    private int group(List<BlockWriter.SeriesData> series) {
        int n = series.size();
        int size = Integer.highestOneBit(Math.max(2, 2 * n - 1)) << 1;
        if (slots.length < size || slots.length > 4 * size) {
            slots = new int[size];
        } else {
            Arrays.fill(slots, 0);
        }
        int mask = slots.length - 1;
        int groups = 0;
        for (int i = 0; i < n; i++) {
            BlockWriter.SeriesData s = series.get(i);
            int h = hash(s.timestamps(), s.offset(), s.size());
            int at = (h * 0x9E3779B9) >>> 1 & mask;
            int found = -1;
            while (slots[at] != 0) {
                int g = slots[at] - 1;
                BlockWriter.SeriesData o = series.get(groupSeries[g]);
                if (groupHash[g] == h && o.size() == s.size() && Arrays.equals(o.timestamps(), o.offset(), o.offset() + o.size(),
                        s.timestamps(), s.offset(), s.offset() + s.size())) {
                    found = g;
                    break;
                }
                at = (at + 1) & mask;
            }
            if (found < 0) {
                found = groups++;
                groupHash[found] = h;
                groupSeries[found] = i;
                slots[at] = found + 1;
            }
            groupOf[i] = found;
        }
        return groups;
    }

    /** Hash of {@code n} timestamps from {@code off}, without copying them out. */
    private static int hash(long[] t, int off, int n) {
        int h = 1;
        for (int i = off; i < off + n; i++) {
            h = 31 * h + Long.hashCode(t[i]);
        }
        return h;
    }

    /** flag (0 raw, 1 zstd), raw length, stored length, bytes; zstd only when it saves a tenth. */
    private void section(Varints.Out raw) {
        int rawLen = raw.length();
        int zLen = -1;
        if (rawLen >= 64) {
            int bound = (int) Zstd.compressBound(rawLen);
            if (compressed.length < bound) {
                compressed = new byte[bound];
            }
            if (zstd == null) {
                zstd = new ZstdCompressCtx().setLevel(BlockWriter.ZSTD_LEVEL);
            }
            try {
                zLen = zstd.compressByteArray(compressed, 0, bound, raw.array(), 0, rawLen);
            } catch (RuntimeException e) {
                throw new StorageException("zstd failed on a section of " + rawLen + " bytes: " + e.getMessage());
            }
        }
        if (zLen >= 0 && zLen < rawLen * 9L / 10) {
            out.byte1(1);
            out.uvarint(rawLen);
            out.uvarint(zLen);
            out.bytes(compressed, 0, zLen);
        } else {
            out.byte1(0);
            out.uvarint(rawLen);
            out.uvarint(rawLen);
            out.bytes(raw.array(), 0, rawLen);
        }
    }

    @Override
    public void close() {
        if (zstd != null) {
            zstd.close();
            zstd = null;
        }
    }
}
