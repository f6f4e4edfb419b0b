package dev.sandglass.query.sandbox;

import java.util.Arrays;

/**
 * One sample of a sandbox: its time, identity and a value per {@link SandboxField} (NaN where the
 * sandbox did not report the field: shown as null, never 0). History points also carry per-second
 * rates of the counters (NaN where none can be computed).
 */
public final class SandboxPoint {
    private final String name;
    private final long timestampMs;
    private final String sandboxId;
    private final String runId;
    private final double[] values;
    private final double[] rates;

    public SandboxPoint(String name, long timestampMs, String sandboxId, String runId, double[] values, double[] rates) {
        this.name = name;
        this.timestampMs = timestampMs;
        this.sandboxId = sandboxId;
        this.runId = runId;
        this.values = values;
        this.rates = rates;
    }

    static double[] absent() {
        double[] v = new double[SandboxField.all().length];
        Arrays.fill(v, Double.NaN);
        return v;
    }

    public String name() {
        return name;
    }

    public long timestampMs() {
        return timestampMs;
    }

    /** The catalog id as stored (a label), or null. */
    public String sandboxId() {
        return sandboxId;
    }

    /** The run's id as recorded by the run info series, or null when none was stored. */
    public String runId() {
        return runId;
    }

    /** The field's value, NaN when absent. */
    public double value(SandboxField f) {
        return values[f.ordinal()];
    }

    public boolean has(SandboxField f) {
        return !Double.isNaN(values[f.ordinal()]);
    }

    /** Whether this point carries rates (history points do). */
    public boolean hasRates() {
        return rates != null;
    }

    /** Per-second rate of a counter field over the interval before this point; NaN when none. */
    public double rate(SandboxField f) {
        return rates == null ? Double.NaN : rates[f.ordinal()];
    }
}
