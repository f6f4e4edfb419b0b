package dev.sandglass.ingest.bulk;

import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Imports OpenMetrics or Prometheus text with timestamps straight into sealed segments. The file
 * is split at line boundaries among parser threads; their per-series arrays are then handed to
 * the store's {@link BulkAppender}, which sorts (so out-of-order input is fine) and seals.
 * Every line is accounted for: imported, a comment, or rejected with its number and why.
 */
public final class TextImporter {
    private final Storage storage;
    private final ImportOptions options;

    public TextImporter(Storage storage, ImportOptions options) {
        this.storage = storage;
        this.options = options;
    }

    private int flushes;

    /** @throws UncheckedIOException naming the file when it cannot be read */
    public ImportSummary importFile(Path file, ProgressListener progress) {
        return store(parse(file, options.format(), options.threads(), options.budget(), progress), progress);
    }

    /** How many times the last import sealed what it held (1 when it fit its budget). */
    public int flushes() {
        return flushes;
    }

    /**
     * A file being read and parsed, window by window on a thread of its own (see {@link
     * ParseStream}), not stored yet. Parsing needs no store (the retention cutoff is applied when
     * storing), so a command can parse the first window while it opens the store. Close it when
     * the store cannot take it.
     */
    public static final class Parsed implements AutoCloseable {
        final ParseStream stream;
        final Path file;
        final String description;
        final long t0;

        Parsed(ParseStream stream, Path file, String description, long t0) {
            this.stream = stream;
            this.file = file;
            this.description = description;
            this.t0 = t0;
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    /**
     * The first half of {@link #importFile}: starts reading and parsing, on {@code threads}
     * threads, windows of about {@code budget.windowHeapBytes()} of heap each.
     * @throws UncheckedIOException naming the file when it cannot be read
     */
    public static Parsed parse(Path file, ImportOptions.Format format, int threads, ImportBudget budget, ProgressListener progress) {
        long t0 = System.nanoTime();
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            long size = ch.size();
            String description;
            boolean endsWithEof = endsWithEof(ch, size);
            if (format == ImportOptions.Format.AUTO) {
                // The # EOF that OpenMetrics requires decides; without it, the first timestamp's
                // shape does: a fraction, or 10-11 digits below 1e11, means seconds.
                String secondsHint = endsWithEof ? null : secondsLikeTimestamp(ch, size);
                boolean om = endsWithEof || secondsHint != null;
                format = om ? ImportOptions.Format.OPENMETRICS : ImportOptions.Format.PROMETHEUS;
                description = endsWithEof ? "openmetrics (the file ends with # EOF; timestamps in seconds)"
                        : om ? "openmetrics (no # EOF at the end, but the first timestamp " + secondsHint + " looks like seconds)"
                        : "prometheus text (no # EOF at the end; timestamps in milliseconds)";
            } else {
                description = format == ImportOptions.Format.OPENMETRICS ? "openmetrics (as asked; timestamps in seconds)"
                        : "prometheus text (as asked; timestamps in milliseconds)";
            }
            ParseStream stream = new ParseStream(ch, size, format == ImportOptions.Format.OPENMETRICS, threads,
                    budget.windowHeapBytes(), progress);
            return new Parsed(stream, file, description, t0);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // reported below
                }
            }
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The second half of {@link #importFile}: stores what {@link #parse} reads, samples older than the cutoff counted, not stored. */
    public ImportSummary store(Parsed parsed, ProgressListener progress) {
        try (parsed) {
            ImportSummary s = store(parsed.stream, parsed.description, parsed.t0);
            progress.progress(parsed.stream.size(), parsed.stream.size(), s.samples());
            return s;
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("cannot read " + parsed.file + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static boolean endsWithEof(FileChannel ch, long size) throws IOException {
        int n = (int) Math.min(size, 64);
        ByteBuffer tail = ByteBuffer.allocate(n);
        ch.read(tail, size - n);
        return new String(tail.array(), 0, tail.position(), StandardCharsets.ISO_8859_1).strip().endsWith("# EOF");
    }

    /** The first sample line's timestamp when it looks like seconds (has a fraction, or 10-11 digits below 1e11), else null. */
    private static String secondsLikeTimestamp(FileChannel ch, long size) throws IOException {
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, 64 << 10));
        ch.read(head, 0);
        String text = new String(head.array(), 0, head.position(), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int close = l.lastIndexOf('}');
            String[] rest = l.substring(close >= 0 ? close + 1 : l.indexOf(' ') + 1).strip().split("[ \t]+");
            if (rest.length < 2) {
                return null;
            }
            String ts = rest[1];
            if (ts.matches("-?\\d+\\.\\d*")) {
                return ts;
            }
            // 1e9..1e11 is 2001..5138 in seconds but only Jan 1970..1973 in milliseconds.
            return ts.matches("\\d{10,11}") && Long.parseLong(ts) < 100_000_000_000L ? ts : null;
        }
        return null;
    }

    private ImportSummary store(ParseStream windows, String description, long t0) {
        long lineOffset = 0;
        List<Rejection> rejections = new ArrayList<>();
        long rejected = 0;
        long tooOld = 0;
        boolean afterEof = false;
        long samples = 0;
        long stored;
        long minT = Long.MAX_VALUE;
        long maxT = Long.MIN_VALUE;
        long cutoff = options.retentionCutoffMs();
        FlushingBulk bulk = new FlushingBulk(storage, options.budget().flushBytes());
        try (bulk) {
            for (List<ChunkParser> parsers = windows.next(); parsers != null; parsers = windows.next()) {
                for (ChunkParser p : parsers) {
                    if (afterEof) {
                        // An earlier chunk ended the file with # EOF: every non-comment line here comes after it.
                        long lost = p.samples + p.rejected;
                        rejected += lost;
                        if (lost > 0 && rejections.size() < ChunkParser.MAX_REJECTIONS_KEPT) {
                            rejections.add(new Rejection(lineOffset + 1, lost + " lines from here on come after \"# EOF\""));
                        }
                        lineOffset += p.lines;
                        continue;
                    }
                    for (Rejection r : p.rejections) {
                        if (rejections.size() < ChunkParser.MAX_REJECTIONS_KEPT) {
                            rejections.add(new Rejection(r.line() + lineOffset, r.reason()));
                        }
                    }
                    rejected += p.rejected;
                    for (ChunkParser.LocalSeries ls : p.series) {
                        Samples s = ls.samples();
                        long[] ts = s.timestamps();
                        long seriesMin = Long.MAX_VALUE;
                        long seriesMax = Long.MIN_VALUE;
                        for (int i = 0; i < s.size(); i++) {
                            seriesMin = Math.min(seriesMin, ts[i]);
                            seriesMax = Math.max(seriesMax, ts[i]);
                        }
                        if (seriesMin < cutoff) {
                            int before = s.size();
                            s = newerThan(s, cutoff);
                            tooOld += before - s.size();
                            ts = s.timestamps();
                            seriesMin = Long.MAX_VALUE;
                            for (int i = 0; i < s.size(); i++) {
                                seriesMin = Math.min(seriesMin, ts[i]);
                            }
                        }
                        if (s.size() == 0) {
                            continue;
                        }
                        minT = Math.min(minT, seriesMin);
                        maxT = Math.max(maxT, seriesMax);
                        long ref = bulk.seriesRef(ls.labels());
                        bulk.appendAll(ref, ts, s.values(), s.size());
                        samples += s.size();
                    }
                    lineOffset += p.lines;
                    afterEof = p.eofLine != 0;
                }
                // This window's parsers (labels, lookup maps) go now; its samples are the appender's.
                parsers.clear();
                bulk.flushIfFull();
            }
            // The store keeps one sample per series and timestamp (the last): count what it kept.
            stored = bulk.finish();
        }
        flushes = bulk.flushes();
        return new ImportSummary(description, bulk.series(), stored, stored == 0 ? 0 : minT, stored == 0 ? 0 : maxT,
                rejected, List.copyOf(rejections), tooOld, options.retentionCutoffMs(), System.nanoTime() - t0, samples - stored);
    }

    /** The samples at or after {@code cutoff}, in place (older ones are counted by the caller). */
    private static Samples newerThan(Samples s, long cutoff) {
        long[] ts = s.timestamps();
        double[] vs = s.values();
        int kept = 0;
        for (int i = 0; i < s.size(); i++) {
            if (ts[i] >= cutoff) {
                ts[kept] = ts[i];
                vs[kept] = vs[i];
                kept++;
            }
        }
        return new Samples(ts, vs, kept);
    }
}
