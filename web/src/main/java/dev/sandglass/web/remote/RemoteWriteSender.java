package dev.sandglass.web.remote;

import dev.sandglass.ingest.remote.RemoteProto;
import dev.sandglass.ingest.remote.Snappy;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.wal.WalWatcher;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards every sample committed to the store to one Prometheus remote-write receiver, reading
 * the store's own write-ahead log (as Prometheus's WAL watcher does), so nothing is buffered
 * twice. Its position (the last WAL excerpt the receiver accepted) is kept in a file and the
 * store holds the WAL from there at every seal, so a restart resumes where it stopped and an
 * outage loses nothing the retention window still covers. A batch is retried with capped
 * exponential backoff on network errors, 5xx and 429, and dropped (counted as failed) on other
 * 4xx answers, which mean it can never be taken. A batch is re-sent whole after a crash between
 * its send and the position's update, which receivers take as the same samples again.
 */
public final class RemoteWriteSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteSender.class);

    private final Db db;
    private final RemoteWriteTarget target;
    private final Path positionFile;
    private final SenderMetrics metrics;
    private final HttpClient http;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long acked;
    /** The first excerpt of the batch in flight while nothing was ever acked (a fresh WAL): held too. */
    private volatile long inFlight = -1;
    private final Map<Integer, Labels> labels = new HashMap<>();

    /** Starts sending; {@code stateDir} keeps the position file. */
    public RemoteWriteSender(Db db, RemoteWriteTarget target, Path stateDir, SenderMetrics metrics) {
        this.db = db;
        this.target = target;
        this.metrics = metrics;
        this.positionFile = stateDir.resolve(Integer.toHexString(target.url().toString().hashCode()) + ".position");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        this.acked = readPosition();
        db.holdWal(() -> acked >= 0 ? acked : inFlight);
        thread = new Thread(this::run, "remote-write " + target.url());
        thread.setDaemon(true);
        thread.start();
    }

    /** The saved position, or the WAL's end for a new sender (it forwards what is committed from now on). */
    private long readPosition() {
        try {
            if (Files.exists(positionFile)) {
                String[] parts = Files.readString(positionFile).trim().split("\\s+", 2);
                return Long.parseLong(parts[0]);
            }
            Files.createDirectories(positionFile.getParent());
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read remote-write position " + positionFile + ": " + e.getMessage(), e);
        }
        try (WalWatcher w = db.walWatcher(Long.MAX_VALUE)) {
            long end = w.position();
            savePosition(end);
            return end;
        }
    }

    private void savePosition(long index) {
        try {
            Path tmp = positionFile.resolveSibling(positionFile.getFileName() + ".tmp");
            Files.writeString(tmp, index + " " + target.url() + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, positionFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("remote write {}: cannot save position {}: {}", target.url(), positionFile, e.getMessage());
        }
    }

    /** Keeps the senders going through anything (out of heap included): sandglass_loop_*{loop="remote-write"}. */
    static final dev.sandglass.storage.jobs.LoopGuard GUARD = dev.sandglass.storage.jobs.LoopGuard.named("remote-write");

    /**
     * Sends until closed. Whatever ends a pass over the WAL (out of heap, a store fault) is
     * counted and logged by the guard, and the sender starts again from the last position the
     * receiver took after the guard's backoff: nothing is skipped, a batch may be sent twice.
     */
    private void run() {
        while (running) {
            GUARD.run(this::send);
            if (running && GUARD.consecutiveFailures() > 0) {
                sleep(Math.max(100, GUARD.retryInMillis()));
            }
        }
    }

    private void send() {
        try (WalWatcher watcher = db.walWatcher(acked)) {
            WalWatcher.Batch batch = new WalWatcher.Batch();
            while (running) {
                batch.clear();
                if (!watcher.next(batch, target.maxSamplesPerSend())) {
                    sleep(100);
                    continue;
                }
                if (watcher.takeGap()) {
                    LOG.warn("remote write {}: the WAL after position {} was dropped by retention; samples in it were not sent",
                            target.url(), Long.toHexString(acked));
                }
                metrics.pending.set(batch.size);
                inFlight = batch.firstIndex;
                if (sendAll(batch)) {
                    acked = batch.lastIndex;
                    savePosition(acked);
                }
                metrics.pending.set(0);
            }
        } catch (RuntimeException e) {
            if (running) {
                throw new IllegalStateException("remote write " + target.url() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Sends a batch in requests of at most maxSamplesPerSend; false only when stopped meanwhile. */
    private boolean sendAll(WalWatcher.Batch b) {
        for (int from = 0; from < b.size; from += target.maxSamplesPerSend()) {
            int to = Math.min(b.size, from + target.maxSamplesPerSend());
            byte[] body = Snappy.compress(RemoteProto.encodeWrite(group(b, from, to)));
            long backoff = target.minBackoffMs();
            while (true) {
                if (!running) {
                    return false;
                }
                int status;
                String error;
                try {
                    HttpResponse<String> r = http.send(request(body), HttpResponse.BodyHandlers.ofString());
                    status = r.statusCode();
                    error = r.body();
                } catch (IOException e) {
                    status = -1;
                    error = e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                if (status / 100 == 2) {
                    metrics.sent.add(to - from);
                    metrics.newestSent.accumulateAndGet(b.ts[to - 1], Math::max);
                    break;
                }
                if (status / 100 == 4 && status != 429) {
                    metrics.failed.add(to - from);
                    LOG.warn("remote write {}: {} samples refused with HTTP {} (not retried): {}", target.url(), to - from, status, error.trim());
                    break;
                }
                metrics.retried.add(to - from);
                LOG.debug("remote write {}: {}; retrying in {} ms", target.url(), status < 0 ? error : "HTTP " + status, backoff);
                sleep(backoff);
                backoff = Math.min(target.maxBackoffMs(), backoff * 2);
            }
        }
        return true;
    }

    /** Samples of {@code [from, to)} grouped per series, in the order the series first appear. */
    private List<RemoteProto.SeriesSamples> group(WalWatcher.Batch b, int from, int to) {
        Map<Integer, int[]> idx = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            int[] list = idx.computeIfAbsent(b.refs[i], k -> new int[1]);
            if (list[0] + 1 == list.length) {
                list = java.util.Arrays.copyOf(list, list.length * 2);
                idx.put(b.refs[i], list);
            }
            list[++list[0]] = i;
        }
        List<RemoteProto.SeriesSamples> out = new ArrayList<>(idx.size());
        for (var e : idx.entrySet()) {
            int[] list = e.getValue();
            int n = list[0];
            long[] ts = new long[n];
            double[] vs = new double[n];
            for (int k = 0; k < n; k++) {
                ts[k] = b.ts[list[k + 1]];
                vs[k] = b.vs[list[k + 1]];
            }
            out.add(new RemoteProto.SeriesSamples(labels.computeIfAbsent(e.getKey(), db::seriesLabels), ts, vs, n));
        }
        return out;
    }

    private HttpRequest request(byte[] body) throws IOException {
        HttpRequest.Builder r = HttpRequest.newBuilder(target.url()).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .header("User-Agent", "Sandglass/0.1.0").header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (target.basicAuthUser() != null) {
            String pw = target.basicAuthPasswordFile() == null ? "" : Files.readString(target.basicAuthPasswordFile()).trim();
            r.header("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString((target.basicAuthUser() + ":" + pw).getBytes(StandardCharsets.UTF_8)));
        }
        if (target.bearerTokenFile() != null) {
            r.header("Authorization", "Bearer " + Files.readString(target.bearerTokenFile()).trim());
        }
        target.headers().forEach(r::header);
        return r.build();
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** The WAL index of the last excerpt the receiver took. */
    public long position() {
        return acked;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
