package dev.sandglass.ingest.bulk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Parses a file window by window on a thread of its own and hands each window's parsers over in
 * file order: the importer stores window k while window k+1 is parsed, so what is parsed but not
 * stored yet is at most two windows, whatever the size of the file. A window is split at line
 * boundaries among the parser threads. Its size follows the heap the window before it took per
 * byte of text (a file of one-sample series takes ~7 bytes of heap a byte, the reference file's
 * long series ~0.25), so that each window holds about {@code windowHeapBytes}.
 */
final class ParseStream implements AutoCloseable {
    static final long MIN_WINDOW = 1 << 20;
    static final long MAX_WINDOW = 1L << 30;
    private static final Object END = new Object();

    private final FileChannel channel;
    private final long size;
    private final boolean seconds;
    private final int threads;
    private final long windowHeapBytes;
    private final long minWindow;
    private final ProgressListener progress;
    private final SynchronousQueue<Object> handoff = new SynchronousQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    private boolean ended;

    /** Takes over {@code channel} (closed when the stream ends or is closed) and starts parsing at once. */
    ParseStream(FileChannel channel, long size, boolean seconds, int threads, long windowHeapBytes, ProgressListener progress) {
        this.channel = channel;
        this.size = size;
        this.seconds = seconds;
        this.threads = Math.max(1, threads);
        this.windowHeapBytes = Math.max(64 << 10, windowHeapBytes);
        this.minWindow = Math.min(MIN_WINDOW, this.windowHeapBytes); // below MIN_WINDOW only in tests
        this.progress = progress;
        this.thread = new Thread(this::produce, "import-parse");
        thread.setDaemon(true);
        thread.start();
    }

    long size() {
        return size;
    }

    /**
     * The next window's parsers in file order, or null after the last one.
     * @throws UncheckedIOException when the file could not be read
     */
    List<ChunkParser> next() {
        if (ended) {
            return null;
        }
        Object o;
        try {
            o = handoff.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("import interrupted", e);
        }
        if (o == END) {
            ended = true;
            return null;
        }
        if (o instanceof Throwable t) {
            ended = true;
            if (t instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("import failed: " + t, t);
        }
        @SuppressWarnings("unchecked")
        List<ChunkParser> window = (List<ChunkParser>) o;
        return window;
    }

    /** Stops the parse (a no-op after it ended). */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }

    private void produce() {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "import-parser");
            t.setDaemon(true);
            return t;
        });
        ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[(int) Math.min(8 << 20, Math.max(64 << 10, windowHeapBytes / 8))]);
        try (channel) {
            long pos = 0;
            long window = Math.max(minWindow, Math.min(4 << 20, windowHeapBytes / 8));
            long samples = 0;
            do {
                long end = size - pos <= window ? size : nextLineStart(channel, pos + window, size);
                List<ChunkParser> parsers = split(pos, end);
                samples = runAll(pool, buffers, parsers, pos, samples);
                long heap = 0;
                for (ChunkParser p : parsers) {
                    heap += p.heapBytes();
                }
                handoff.put(parsers);
                // The next window: as many bytes as hold windowHeapBytes at this window's heap per
                // byte, growing at most 4x a window (a file's start may not be like the rest).
                double perByte = Math.max(1, heap) / (double) Math.max(1, end - pos);
                window = Math.max(minWindow, Math.min(Math.min(window * 4, MAX_WINDOW), (long) (windowHeapBytes / perByte)));
                pos = end;
            } while (pos < size);
            handoff.put(END);
        } catch (InterruptedException e) {
            // closed by the importer: nobody waits for more
        } catch (Throwable t) {
            if (!closed) {
                try {
                    handoff.put(t);
                } catch (InterruptedException ignored) {
                    // closed meanwhile
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private List<ChunkParser> split(long from, long to) throws IOException {
        int n = to - from < (4 << 20) ? 1 : threads;
        List<ChunkParser> out = new ArrayList<>();
        long start = from;
        for (int k = 1; k <= n && start < to; k++) {
            long end = k == n ? to : nextLineStart(channel, from + (to - from) * k / n, to);
            if (end > start) {
                out.add(new ChunkParser(channel, start, end, seconds));
            }
            start = end;
        }
        if (out.isEmpty()) {
            out.add(new ChunkParser(channel, from, from, seconds));
        }
        return out;
    }

    static long nextLineStart(FileChannel ch, long from, long size) throws IOException {
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

    /** Runs the window's parsers on the pool, reporting progress meanwhile; returns the samples parsed so far in the file. */
    private long runAll(ExecutorService pool, ThreadLocal<byte[]> buffers, List<ChunkParser> parsers, long base, long samplesBefore)
            throws IOException, InterruptedException {
        List<Future<?>> futures = new ArrayList<>();
        for (ChunkParser p : parsers) {
            futures.add(pool.submit(() -> {
                p.run(buffers.get());
                return null;
            }));
        }
        try {
            for (Future<?> f : futures) {
                while (true) {
                    try {
                        f.get(100, TimeUnit.MILLISECONDS);
                        break;
                    } catch (TimeoutException e) {
                        long done = 0;
                        long samples = 0;
                        for (ChunkParser p : parsers) {
                            done += p.bytesDone.get();
                            samples += p.samplesDone.get();
                        }
                        progress.progress(Math.min(base + done, size - 1), size, samplesBefore + samples);
                    }
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("import failed: " + e.getCause(), e.getCause());
        }
        long samples = samplesBefore;
        for (ChunkParser p : parsers) {
            samples += p.samples;
        }
        return samples;
    }
}
