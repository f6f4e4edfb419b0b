package dev.sandglass.web.api;

import dev.sandglass.query.sandbox.HistoryPoints;
import dev.sandglass.query.sandbox.SandboxField;

/**
 * A history's points as JSON, written from its columns: the same bytes as
 * {@link SandboxJson#point} gives for each point, without an object per point. What all points
 * share is spelled once: {@code ,"sandbox_name":..,"sandbox_id":..} for the answer, and
 * {@code ,"run_id":..} until the run changes.
 */
final class HistoryJson {
    private static final SandboxField[] FIELDS = SandboxField.all();

    private HistoryJson() {
    }

    /** The points, comma-separated (at least one); the chunk is handed on between points when full. */
    static void points(HistoryPoints ps, JsonBytes b) {
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
                b.raw(keys[f]).number(cols[f][s]);
            }
            for (int k = 0; k < nc; k++) {
                b.raw(rateKeys[k]).number(rates[k][i]);
            }
            b.raw('}');
            b.spillIfFull();
        }
    }
}
