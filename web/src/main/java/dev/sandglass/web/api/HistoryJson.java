package dev.sandglass.web.api;

import dev.sandglass.query.sandbox.HistoryPoints;
import dev.sandglass.query.sandbox.SandboxField;

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

    /** The points, comma-separated (at least one); the chunk is handed on between points when full. */
    static void points(HistoryPoints ps, JsonBytes b) {
        new HistoryJson().write(ps, b);
    }

    private void write(HistoryPoints ps, JsonBytes b) {
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
        int n = ps.size();
        for (int i = 0; i < n; i++) {
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
