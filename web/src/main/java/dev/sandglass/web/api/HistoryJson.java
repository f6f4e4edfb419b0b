package dev.sandglass.web.api;

import dev.sandglass.query.sandbox.HistoryPoints;
import dev.sandglass.query.sandbox.SandboxField;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;

/**
 * A history's points as JSON, written from its columns: the same bytes as
 * {@link SandboxJson#point} gives for each point, without an object per point. What all points
 * share is spelled once: {@code ,"sandbox_name":..,"sandbox_id":..} for the answer, and
 * {@code ,"run_id":..} until the run changes. A field whose value is the same as at the point
 * before (a memory limit, an idle sandbox's counters and rates, a field not reported) copies the
 * bytes of {@code ,"key":value} it wrote then.
 */
final class HistoryJson {
    private static final SandboxField[] FIELDS = SandboxField.all();

    /** By field (values, then rates): the bits of the value last written and its bytes with the key. */
    private final long[] lastBits = new long[FIELDS.length * 2];
    private final byte[][] lastBytes = new byte[FIELDS.length * 2][64];
    private final int[] lastLength = new int[FIELDS.length * 2];

    private HistoryJson() {
        java.util.Arrays.fill(lastLength, -1);
    }

    /** {@code ,"key":value}: the bytes written last time when the value is the same (bit for bit), else formatted. */
    private void field(JsonBytes b, int f, byte[] key, double v) {
        long bits = Double.doubleToRawLongBits(v);
        if (lastLength[f] >= 0 && bits == lastBits[f]) {
            b.raw(lastBytes[f], lastLength[f]);
            return;
        }
        int from = b.size();
        b.raw(key).number(v);
        lastBits[f] = bits;
        lastLength[f] = b.copySince(from, lastBytes[f]);
    }

    /** Points per piece formatted apart (~7 MB of JSON); answers of fewer than two pieces are written by the caller alone. */
    static final int PIECE = 8192;
    /** Formats every other piece of a long answer beside the request's thread; daemon, idle when no long answer is written. */
    private static final ExecutorService HELPER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sandglass-history-json");
        t.setDaemon(true);
        return t;
    });

    /**
     * The points, comma-separated (at least one); the chunk is handed on between points when full.
     * A long answer (a day of raw points is ~80 MB) is cut into pieces of {@link #PIECE} points:
     * while the caller writes piece k, a helper thread formats piece k+1 into chunks of its own,
     * which the caller then hands on in order, so two cores share the formatting and at most one
     * piece waits. A piece the helper has not started (busy with another answer) is formatted by
     * the caller itself. The bytes are the same either way.
     */
    static void points(HistoryPoints ps, JsonBytes b) {
        int n = ps.size();
        if (n < 2 * PIECE || !b.streams() || Boolean.getBoolean("sandglass.history.oneThread")) {
            new HistoryJson().write(ps, 0, n, b);
            return;
        }
        FutureTask<List<Chunk>> ahead = null;
        for (int from = 0; from < n; from += PIECE) {
            int to = Math.min(n, from + PIECE);
            int k = from / PIECE;
            if (k % 2 == 0) {
                if (to < n) {
                    int nextTo = Math.min(n, to + PIECE);
                    int nextFrom = to;
                    JsonBytes.Sink into = b.sink();
                    ahead = new FutureTask<>(() -> piece(ps, nextFrom, nextTo, into));
                    HELPER.execute(ahead);
                }
                new HistoryJson().write(ps, from, to, b);
            } else {
                ahead.run(); // a no-op once the helper has started it
                try {
                    for (Chunk c : ahead.get()) {
                        b.handOn(c.bytes, c.length);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while writing a history", e);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            }
        }
    }

    private record Chunk(byte[] bytes, int length) {
    }

    /** Points [from, to) into chunks written in arrays from {@code sink}'s spares, to be handed to it in order. */
    private static List<Chunk> piece(HistoryPoints ps, int from, int to, JsonBytes.Sink sink) {
        List<Chunk> chunks = new ArrayList<>();
        JsonBytes out = new JsonBytes(SandboxJson.CHUNK_BYTES, new JsonBytes.Sink() {
            @Override
            public void take(byte[] chunk, int length) {
                chunks.add(new Chunk(chunk, length));
            }

            @Override
            public byte[] next(int size) {
                return sink.next(size);
            }
        });
        new HistoryJson().write(ps, from, to, out);
        out.flush();
        return chunks;
    }

    private void write(HistoryPoints ps, int from, int to, JsonBytes b) {
        byte[] nameAndId = new JsonBytes(64).raw(SandboxJson.SANDBOX_NAME).string(ps.name()).raw(SandboxJson.SANDBOX_ID).id(ps.sandboxId())
                .raw(SandboxJson.RUN_ID).toByteArray();
        double[][] cols = new double[FIELDS.length][];
        byte[][] keys = new byte[FIELDS.length][];
        for (SandboxField f : FIELDS) {
            cols[f.ordinal()] = ps.column(f);
            keys[f.ordinal()] = SandboxJson.KEYS[f.ordinal()];
        }
        int nc = ps.hasRates() ? SandboxJson.COUNTERS.length : 0;
        double[][] rates = new double[nc][];
        byte[][] rateKeys = new byte[nc][];
        for (int k = 0; k < nc; k++) {
            rates[k] = ps.rates(SandboxJson.COUNTERS[k]);
            rateKeys[k] = SandboxJson.RATE_KEYS[SandboxJson.COUNTERS[k].ordinal()];
        }
        String run = null;
        byte[] runBytes = null;
        for (int i = from; i < to; i++) {
            if (i > 0) {
                b.raw(',');
            }
            int s = ps.sample(i);
            String r = ps.runOfSample(s);
            if (runBytes == null || r != run && (r == null || !r.equals(run))) {
                run = r;
                runBytes = new JsonBytes(16).id(r).toByteArray();
            }
            b.raw(SandboxJson.TIMESTAMP).time(ps.timestampMs(i)).raw(nameAndId).raw(runBytes);
            for (int f = 0; f < cols.length; f++) {
                field(b, f, keys[f], cols[f][s]);
            }
            for (int k = 0; k < nc; k++) {
                field(b, cols.length + k, rateKeys[k], rates[k][i]);
            }
            b.raw('}');
            b.spillIfFull();
        }
    }
}
