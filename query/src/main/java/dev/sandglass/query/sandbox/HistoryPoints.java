package dev.sandglass.query.sandbox;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;

/**
 * A history's points as columns, not one object per point (a day of raw samples is 86,400 of
 * them): point i is at {@link #timestampMs(int)} and takes its values from sample
 * {@link #sample(int)} of the value columns (raw: sample i; stepped: the last sample at or before
 * the step time); counters also have a per-second rate per point (NaN where none).
 */
public final class HistoryPoints {
    private static final SandboxField[] FIELDS = SandboxField.all();

    private final String name;
    private final String sandboxId;
    private final int size;
    private final long[] ts;
    /** Sample index of each point; null: point i is sample i. */
    private final int[] sample;
    /** By field ordinal, by sample; values in the field's unit, NaN where absent. */
    private final double[][] values;
    /** Run id by sample, null where none is stored. */
    private final String[] runs;
    /** By field ordinal (counters only, else null), by point; null: the points carry no rates. */
    private final double[][] rates;

    HistoryPoints(String name, String sandboxId, int size, long[] ts, int[] sample, double[][] values, String[] runs, double[][] rates) {
        this.name = name;
        this.sandboxId = sandboxId;
        this.size = size;
        this.ts = ts;
        this.sample = sample;
        this.values = values;
        this.runs = runs;
        this.rates = rates;
    }

    /** The columns of the given points (tests, and answers built by hand). */
    public static HistoryPoints of(List<SandboxPoint> points) {
        int n = points.size();
        long[] ts = new long[n];
        double[][] values = new double[FIELDS.length][n];
        String[] runs = new String[n];
        boolean withRates = n > 0 && points.get(0).hasRates();
        double[][] rates = withRates ? new double[FIELDS.length][n] : null;
        for (int i = 0; i < n; i++) {
            SandboxPoint p = points.get(i);
            if (!p.name().equals(points.get(0).name()) || !java.util.Objects.equals(p.sandboxId(), points.get(0).sandboxId())
                    || p.hasRates() != withRates) {
                throw new IllegalArgumentException("points of one sandbox, all with rates or none");
            }
            ts[i] = p.timestampMs();
            runs[i] = p.runId();
            for (SandboxField f : FIELDS) {
                values[f.ordinal()][i] = p.value(f);
                if (withRates) {
                    rates[f.ordinal()][i] = p.rate(f);
                }
            }
        }
        return new HistoryPoints(n == 0 ? null : points.get(0).name(), n == 0 ? null : points.get(0).sandboxId(), n, ts, null, values, runs, rates);
    }

    public int size() {
        return size;
    }

    public String name() {
        return name;
    }

    /** The catalog id as stored (a label), or null; the same for every point. */
    public String sandboxId() {
        return sandboxId;
    }

    public long timestampMs(int i) {
        return ts[i];
    }

    /** The sample point i takes its values and run from. */
    public int sample(int i) {
        return sample == null ? i : sample[i];
    }

    /** The run id of sample s (see {@link #sample(int)}), or null. */
    public String runOfSample(int s) {
        return runs[s];
    }

    /** Field f's column by sample (see {@link #sample(int)}): read it, never change it. */
    public double[] column(SandboxField f) {
        return values[f.ordinal()];
    }

    public boolean hasRates() {
        return rates != null;
    }

    /** Counter f's rates by point (see {@link #hasRates()}): read it, never change it. */
    public double[] rates(SandboxField f) {
        return rates[f.ordinal()];
    }

    /** Point i as an object (for tests and small answers; the JSON writer reads the columns). */
    public SandboxPoint get(int i) {
        int s = sample(i);
        double[] v = new double[FIELDS.length];
        for (int f = 0; f < v.length; f++) {
            v[f] = values[f][s];
        }
        double[] r = null;
        if (rates != null) {
            r = SandboxPoint.absent();
            for (int f = 0; f < r.length; f++) {
                if (rates[f] != null) {
                    r[f] = rates[f][i];
                }
            }
        }
        return new SandboxPoint(name, ts[i], sandboxId, runs[s], v, r);
    }

    /** The points as a list of objects, made as they are read. */
    public List<SandboxPoint> asList() {
        return new AbstractList<>() {
            @Override
            public SandboxPoint get(int i) {
                return HistoryPoints.this.get(i);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    static double[] nanColumn(int n) {
        double[] d = new double[n];
        Arrays.fill(d, Double.NaN);
        return d;
    }
}
