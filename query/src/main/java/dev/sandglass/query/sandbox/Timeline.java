package dev.sandglass.query.sandbox;

import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import java.util.Arrays;
import java.util.List;

/** Non-stale samples of one or more series of one sandbox, merged into one time-ordered column pair. */
final class Timeline {
    final long[] ts;
    final double[] vs;
    final int size;

    private Timeline(long[] ts, double[] vs, int size) {
        this.ts = ts;
        this.vs = vs;
        this.size = size;
    }

    static Timeline of(List<Series> series) {
        if (series.size() == 1) {
            return of(series.get(0).samples());
        }
        int total = 0;
        Samples[] all = new Samples[series.size()];
        for (int k = 0; k < all.length; k++) {
            all[k] = series.get(k).samples();
            total += all[k].size();
        }
        // Several series (runs labelled apart, or a new catalog id): merge by time, the later series wins a tie.
        long[][] pairs = new long[total][];
        int n = 0;
        for (int k = 0; k < all.length; k++) {
            for (int i = 0; i < all[k].size(); i++) {
                if (!Values.isStaleNaN(all[k].value(i))) {
                    pairs[n++] = new long[] {all[k].timestamp(i), Double.doubleToRawLongBits(all[k].value(i)), k};
                }
            }
        }
        Arrays.sort(pairs, 0, n, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[2], b[2]));
        long[] ts = new long[n];
        double[] vs = new double[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (m > 0 && ts[m - 1] == pairs[i][0]) {
                m--;
            }
            ts[m] = pairs[i][0];
            vs[m++] = Double.longBitsToDouble(pairs[i][1]);
        }
        return new Timeline(ts, vs, m);
    }

    static Timeline of(Samples s) {
        int n = s.size();
        long[] ts = new long[n];
        double[] vs = new double[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            double v = s.value(i);
            if (!Values.isStaleNaN(v)) {
                ts[m] = s.timestamp(i);
                vs[m++] = v;
            }
        }
        return new Timeline(ts, vs, m);
    }

    /** This timeline's values at each of {@code at[0..n)} (NaN where it has no sample at that time). */
    double[] alignTo(long[] at, int n, SandboxField f) {
        double[] out = new double[n];
        if (size == n && Arrays.equals(ts, 0, n, at, 0, n)) {
            // The usual case: the field was sampled at every presence time.
            for (int i = 0; i < n; i++) {
                out[i] = f.fromStored(vs[i]);
            }
            return out;
        }
        int j = 0;
        for (int i = 0; i < n; i++) {
            while (j < size && ts[j] < at[i]) {
                j++;
            }
            out[i] = j < size && ts[j] == at[i] ? f.fromStored(vs[j]) : Double.NaN;
        }
        return out;
    }
}
