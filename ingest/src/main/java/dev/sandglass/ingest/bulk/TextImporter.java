package dev.sandglass.ingest.bulk;

import dev.sandglass.storage.api.BulkAppender;
import dev.sandglass.storage.api.Labels;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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

    /** @throws UncheckedIOException naming the file when it cannot be read */
    public ImportSummary importFile(Path file, ProgressListener progress) {
        return store(parse(file, options.format(), options.threads(), progress), progress);
    }

    /**
     * A file read and parsed, not stored yet. Parsing needs no store (the retention cutoff is
     * applied when storing), so a command can parse while it opens the store.
     */
    public static final class Parsed {
        final List<ChunkParser> parsers;
        final String description;
        final long size;
        final long t0;

        Parsed(List<ChunkParser> parsers, String description, long size, long t0) {
            this.parsers = parsers;
            this.description = description;
            this.size = size;
            this.t0 = t0;
        }
    }

    /** The first half of {@link #importFile}: reads and parses, on {@code threads} threads. @throws UncheckedIOException naming the file when it cannot be read */
    public static Parsed parse(Path file, ImportOptions.Format format, int threads, ProgressListener progress) {
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
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
            List<ChunkParser> parsers = split(ch, size, format == ImportOptions.Format.OPENMETRICS, threads);
            runAll(parsers, size, progress);
            return new Parsed(parsers, description, size, t0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The second half of {@link #importFile}: stores what {@link #parse} read, samples older than the cutoff counted, not stored. */
    public ImportSummary store(Parsed parsed, ProgressListener progress) {
        ImportSummary s = store(parsed.parsers, parsed.description, parsed.t0);
        progress.progress(parsed.size, parsed.size, s.samples());
        return s;
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

    private static List<ChunkParser> split(FileChannel ch, long size, boolean seconds, int threads) throws IOException {
        int n = size < (4 << 20) ? 1 : Math.max(1, threads);
        List<ChunkParser> out = new ArrayList<>();
        long start = 0;
        for (int k = 1; k <= n && start < size; k++) {
            long end = k == n ? size : nextLineStart(ch, size * k / n, size);
            if (end > start) {
                out.add(new ChunkParser(ch, start, end, seconds));
            }
            start = end;
        }
        if (out.isEmpty()) {
            out.add(new ChunkParser(ch, 0, 0, seconds));
        }
        return out;
    }

    private static long nextLineStart(FileChannel ch, long from, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 << 10);
        long pos = from;
        while (pos < size) {
            buf.clear();
            int n = ch.read(buf, pos);
            if (n <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (buf.get(i) == '\n') {
                    return pos + i + 1;
                }
            }
            pos += n;
        }
        return size;
    }

    private static void runAll(List<ChunkParser> parsers, long size, ProgressListener progress) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(parsers.size(), r -> {
            Thread t = new Thread(r, "import-parser");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (ChunkParser p : parsers) {
                futures.add(pool.submit(() -> {
                    p.run();
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                while (true) {
                    try {
                        f.get(100, TimeUnit.MILLISECONDS);
                        break;
                    } catch (java.util.concurrent.TimeoutException e) {
                        long done = 0;
                        long samples = 0;
                        for (ChunkParser p : parsers) {
                            done += p.bytesDone.get();
                            samples += p.samplesDone.get();
                        }
                        progress.progress(Math.min(done, size - 1), size, samples);
                    }
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("import failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("import interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private ImportSummary store(List<ChunkParser> parsers, String description, long t0) {
        long lineOffset = 0;
        List<Rejection> rejections = new ArrayList<>();
        long rejected = 0;
        long tooOld = 0;
        boolean afterEof = false;
        Map<Labels, Long> refs = new HashMap<>();
        long samples = 0;
        long stored;
        long minT = Long.MAX_VALUE;
        long maxT = Long.MIN_VALUE;
        long cutoff = options.retentionCutoffMs();
        try (BulkAppender bulk = storage.bulkAppender()) {
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
                    long ref = refs.computeIfAbsent(ls.labels(), bulk::seriesRef);
                    bulk.appendAll(ref, ts, s.values(), s.size());
                    samples += s.size();
                }
                lineOffset += p.lines;
                afterEof = p.eofLine != 0;
            }
            // The store keeps one sample per series and timestamp (the last): count what it kept.
            stored = bulk.finish();
        }
        return new ImportSummary(description, refs.size(), stored, stored == 0 ? 0 : minT, stored == 0 ? 0 : maxT,
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
