package dev.sandglass.web.expfmt;

import dev.sandglass.ingest.bulk.ProgressListener;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.api.Samples;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import dev.sandglass.web.api.PromFormat;
import dev.sandglass.web.remote.FederateRoutes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes stored series as OpenMetrics text with timestamps (seconds with millisecond decimals),
 * ending in {@code # EOF}: what {@code promtool tsdb create-blocks-from openmetrics} and
 * {@code sandglass import} read. Series are listed first (labels only), then each one's samples
 * are read, written and dropped in turn, so memory holds one series' samples at a time whatever
 * the store's size. Values are Go's shortest form, which parses back to the same float64 bits;
 * staleness markers have no text form (a NaN read back is an ordinary NaN), so they are left out
 * and counted.
 */
public final class OpenMetricsExporter {
    /** What was written. */
    public record Summary(long series, long samples, long staleMarkersSkipped, long bytes) {
    }

    private OpenMetricsExporter() {
    }

    public static Summary export(Queryable store, List<List<Matcher>> selectors, long minT, long maxT, OutputStream out,
            ProgressListener progress) throws IOException {
        try (Querier q = store.querier(minT, maxT)) {
            Map<Labels, Series> unique = new LinkedHashMap<>();
            for (List<Matcher> ms : selectors) {
                for (Series s : q.selectLazily(ms)) {
                    unique.putIfAbsent(s.labels(), s);
                }
            }
            List<Series> all = new ArrayList<>(unique.values());
            // A metric family's lines must be together: by name first, then by labels.
            all.sort(Comparator.comparing((Series s) -> s.labels().metricName()).thenComparing(Series::labels));
            long samples = 0;
            long stale = 0;
            long bytes = 0;
            long written = 0;
            Samples buf = new Samples(1024);
            StringBuilder sb = new StringBuilder(1 << 16);
            StringBuilder prefix = new StringBuilder(256);
            for (int i = 0; i < all.size(); i++) {
                Series s = all.get(i);
                Samples smp = s.samples(buf);
                prefix.setLength(0);
                prefix.append(s.labels().metricName());
                FederateRoutes.labels(s.labels(), false, prefix);
                prefix.append(' ');
                boolean any = false;
                for (int j = 0; j < smp.size(); j++) {
                    double v = smp.value(j);
                    if (Values.isStaleNaN(v)) {
                        stale++;
                        continue;
                    }
                    sb.append(prefix);
                    GoFloat.append(v, sb);
                    sb.append(' ');
                    PromFormat.timestamp(smp.timestamp(j), sb);
                    sb.append('\n');
                    samples++;
                    any = true;
                    if (sb.length() > (1 << 16) - 512) {
                        bytes += flush(sb, out);
                    }
                }
                if (any) {
                    written++;
                }
                if ((i & 63) == 63 || i == all.size() - 1) {
                    progress.progress(i + 1, all.size(), samples);
                }
            }
            sb.append("# EOF\n");
            bytes += flush(sb, out);
            out.flush();
            return new Summary(written, samples, stale, bytes);
        }
    }

    private static long flush(StringBuilder sb, OutputStream out) throws IOException {
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        out.write(b);
        sb.setLength(0);
        return b.length;
    }
}
