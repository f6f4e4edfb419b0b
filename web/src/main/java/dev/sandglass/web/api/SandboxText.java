package dev.sandglass.web.api;

import dev.sandglass.query.sandbox.SandboxField;
import dev.sandglass.query.sandbox.SandboxStatus;
import dev.sandglass.query.sandbox.SandboxViews;
import dev.sandglass.query.sandbox.UnknownSandboxException;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Queryable;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import java.util.List;

/**
 * One running sandbox's latest values in the Prometheus text exposition format (0.0.4), with
 * HELP and TYPE, as {@code kata-runtime metrics <id>} prints a Kata sandbox's: every series of the
 * sandbox that has a sample at its last-seen time, with the labels it is stored under.
 */
public final class SandboxText {
    private SandboxText() {
    }

    /** @throws UnknownSandboxException when the sandbox is unknown or not running */
    public static String latest(Queryable store, String name, long nowMs) {
        SandboxStatus st = new SandboxViews(store).sandbox(name, nowMs);
        if (!st.running()) {
            throw UnknownSandboxException.notRunning(name, SandboxJson.time(st.lastSeenMs()).replace("\"", ""));
        }
        long t = st.lastSeenMs();
        StringBuilder out = new StringBuilder(2048);
        try (Querier q = store.querier(t, t)) {
            String family = null;
            for (Series s : q.select(List.of(Matcher.eq(SandboxField.NAME_LABEL, name)))) {
                if (s.samples().size() == 0 || Values.isStaleNaN(s.samples().value(0))) {
                    continue;
                }
                String metric = s.labels().metricName();
                if (!metric.equals(family)) {
                    family = metric;
                    MetricMetadata.Meta meta = MetricMetadata.of(metric);
                    out.append("# HELP ").append(metric).append(' ').append(meta.help().isEmpty() ? metric : meta.help()).append('\n');
                    out.append("# TYPE ").append(metric).append(' ').append(meta.type().equals("info") ? "gauge" : meta.type()).append('\n');
                }
                out.append(metric);
                Labels l = s.labels().withoutMetricName();
                if (!l.isEmpty()) {
                    out.append('{');
                    for (int i = 0; i < l.size(); i++) {
                        if (i > 0) {
                            out.append(',');
                        }
                        out.append(l.name(i)).append("=\"");
                        Labels.escape(l.value(i), out);
                        out.append('"');
                    }
                    out.append('}');
                }
                out.append(' ');
                PromFormat.value(s.samples().value(0), out);
                out.append('\n');
            }
        }
        return out.toString();
    }
}
