package dev.sandglass.ingest.otlp;

import static dev.sandglass.ingest.otlp.OtlpLabels.attributes;
import static dev.sandglass.ingest.otlp.OtlpLabels.base;
import static dev.sandglass.ingest.otlp.OtlpLabels.labels;
import static dev.sandglass.ingest.otlp.OtlpLabels.le;
import static dev.sandglass.ingest.otlp.OtlpLabels.merge;
import static dev.sandglass.ingest.otlp.OtlpLabels.toLabels;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Values;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns an OTLP metrics request into samples, as Prometheus's OTLP receiver stores them: gauges
 * and sums as one series each (see {@link OtlpNames}), classic histograms as {@code _bucket}
 * (cumulative, with {@code le}), {@code _sum} and {@code _count}, summaries as quantiles plus
 * {@code _sum} and {@code _count}. {@code job} is {@code service.namespace/service.name},
 * {@code instance} is {@code service.instance.id}, the other resource attributes go to a
 * {@code target_info} series. A point flagged "no recorded value" becomes a staleness marker.
 *
 * <p>Delta temporality is rejected, not converted: converting needs the running total of every
 * series kept across requests and restarts of both sides, and a lost request would shift every
 * later value silently. Exponential histograms are rejected too (they would be native
 * histograms). Rejected points are counted and named in the result; the rest is appended.
 */
public final class OtlpTranslator {
    /** What one request came to: points appended and rejected, and why (a few reasons, deduplicated). */
    public record Result(long samples, long rejectedPoints, List<String> errors) {
        public String message() {
            return String.join("; ", errors);
        }
    }

    private static final int MAX_ERRORS = 5;
    private static final long NO_RECORDED_VALUE = 1;

    private final Appender appender;
    private final OtlpSeriesCache cache;
    private long samples;
    private long rejected;
    private final List<String> errors = new ArrayList<>();
    /** Label names of the attribute keys seen in this request: a fleet sends the same few keys on every point. */
    private final Map<String, String> labelNames = new HashMap<>();

    OtlpTranslator(Appender appender, OtlpSeriesCache cache) {
        this.appender = appender;
        this.cache = cache;
    }

    /** Appends every point it can to {@code appender} (the caller commits). */
    public static Result translate(ExportMetricsServiceRequest request, Appender appender) {
        return translate(request, appender, null);
    }

    /** As {@link #translate(ExportMetricsServiceRequest, Appender)}, finding known series in {@code cache}. */
    public static Result translate(ExportMetricsServiceRequest request, Appender appender, OtlpSeriesCache cache) {
        OtlpTranslator t = new OtlpTranslator(appender, cache);
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            t.resource(rm);
        }
        return new Result(t.samples, t.rejected, List.copyOf(t.errors));
    }

    void resource(ResourceMetrics rm) {
        Map<String, String> attrs = attributes(rm.getResource().getAttributesList());
        TreeMap<String, String> base = base(attrs);
        long latest = Long.MIN_VALUE;
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
            for (Metric m : sm.getMetricsList()) {
                latest = Math.max(latest, metric(m, base));
            }
        }
        targetInfo(attrs, base, latest);
    }

    /** The resource's other attributes as {@code target_info} at the latest time appended for it (none if no point was). */
    void targetInfo(Map<String, String> attrs, Map<String, String> base, long latest) {
        TreeMap<String, String> info = new TreeMap<>();
        attrs.forEach((k, v) -> {
            if (!k.equals("service.name") && !k.equals("service.namespace") && !k.equals("service.instance.id")) {
                merge(info, OtlpNames.labelName(k), v);
            }
        });
        if (!info.isEmpty() && latest != Long.MIN_VALUE) {
            info.putAll(base);
            info.put(Labels.METRIC_NAME, "target_info");
            add(info, latest, 1);
        }
    }

    /** Appends one metric's points; returns the latest timestamp appended (MIN_VALUE when none). */
    long metric(Metric m, Map<String, String> base) {
        try {
            switch (m.getDataCase()) {
                case GAUGE:
                    return numbers(m.getGauge().getDataPointsList(), OtlpNames.metricName(m.getName(), m.getUnit(), OtlpNames.Kind.GAUGE), base);
                case SUM: {
                    var sum = m.getSum();
                    checkCumulative(m, sum.getAggregationTemporality(), sum.getDataPointsCount());
                    OtlpNames.Kind kind = sum.getIsMonotonic() ? OtlpNames.Kind.MONOTONIC_COUNTER : OtlpNames.Kind.NON_MONOTONIC_COUNTER;
                    return numbers(sum.getDataPointsList(), OtlpNames.metricName(m.getName(), m.getUnit(), kind), base);
                }
                case HISTOGRAM: {
                    var h = m.getHistogram();
                    checkCumulative(m, h.getAggregationTemporality(), h.getDataPointsCount());
                    return histograms(h.getDataPointsList(), OtlpNames.metricName(m.getName(), m.getUnit(), OtlpNames.Kind.HISTOGRAM), base);
                }
                case SUMMARY:
                    return summaries(m.getSummary().getDataPointsList(), OtlpNames.metricName(m.getName(), m.getUnit(), OtlpNames.Kind.SUMMARY), base);
                case EXPONENTIAL_HISTOGRAM:
                    reject(m.getExponentialHistogram().getDataPointsCount(), "metric \"" + m.getName()
                            + "\": exponential histograms are not supported; configure the exporter's aggregation to explicit-bucket histograms");
                    return Long.MIN_VALUE;
                default:
                    reject(0, "metric \"" + m.getName() + "\" has no data");
                    return Long.MIN_VALUE;
            }
        } catch (Rejected e) {
            return Long.MIN_VALUE;
        } catch (IllegalArgumentException e) {
            reject(points(m), e.getMessage());
            return Long.MIN_VALUE;
        }
    }

    private static final class Rejected extends RuntimeException {
        Rejected() {
            super(null, null, false, false);
        }
    }

    private void checkCumulative(Metric m, AggregationTemporality t, int points) {
        if (!cumulative(m.getName(), t, points)) {
            throw new Rejected();
        }
    }

    /** Whether points of this temporality can be stored; if not, they are rejected, named. */
    boolean cumulative(String metric, AggregationTemporality t, int points) {
        if (t != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
            reject(points, "metric \"" + metric + "\": " + (t == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
                    ? "delta temporality is not supported; export cumulative temporality instead"
                    : "aggregation temporality is unspecified; only cumulative is supported"));
            return false;
        }
        return true;
    }

    private long numbers(List<NumberDataPoint> points, String name, Map<String, String> base) {
        long latest = Long.MIN_VALUE;
        for (NumberDataPoint p : points) {
            long t = millis(p.getTimeUnixNano());
            double v = (p.getFlags() & NO_RECORDED_VALUE) != 0 ? Values.STALE_NAN
                    : p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? (double) p.getAsInt() : p.getAsDouble();
            if (cache == null) {
                add(labels(name, p.getAttributesList(), base), t, v);
            } else {
                OtlpSeriesCache.Key key = new OtlpSeriesCache.Key(name, base.get("job"), base.get("instance"), p.getAttributesList());
                Long ref = cache.get(key);
                if (ref == null) {
                    ref = appender.seriesRef(toLabels(labels(name, p.getAttributesList(), base)));
                    cache.put(key, ref);
                }
                appender.append(ref, t, v);
                samples++;
            }
            latest = Math.max(latest, t);
        }
        return latest;
    }

    private long histograms(List<HistogramDataPoint> points, String name, Map<String, String> base) {
        long latest = Long.MIN_VALUE;
        for (HistogramDataPoint p : points) {
            int bounds = p.getExplicitBoundsCount();
            if (p.getBucketCountsCount() != 0 && p.getBucketCountsCount() != bounds + 1) {
                reject(1, "histogram \"" + name + "\": " + p.getBucketCountsCount() + " bucket counts for " + bounds
                        + " bounds (want bounds + 1)");
                continue;
            }
            long t = millis(p.getTimeUnixNano());
            boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
            TreeMap<String, String> l = labels(name + "_bucket", p.getAttributesList(), base);
            long cumulative = 0;
            for (int i = 0; i < p.getBucketCountsCount() - 1; i++) {
                cumulative += p.getBucketCounts(i);
                l.put("le", le(p.getExplicitBounds(i)));
                add(l, t, stale ? Values.STALE_NAN : cumulative);
            }
            l.put("le", "+Inf");
            add(l, t, stale ? Values.STALE_NAN : p.getCount());
            if (p.hasSum()) {
                add(labels(name + "_sum", p.getAttributesList(), base), t, stale ? Values.STALE_NAN : p.getSum());
            }
            add(labels(name + "_count", p.getAttributesList(), base), t, stale ? Values.STALE_NAN : p.getCount());
            latest = Math.max(latest, t);
        }
        return latest;
    }

    private long summaries(List<SummaryDataPoint> points, String name, Map<String, String> base) {
        long latest = Long.MIN_VALUE;
        for (SummaryDataPoint p : points) {
            long t = millis(p.getTimeUnixNano());
            boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
            TreeMap<String, String> l = labels(name, p.getAttributesList(), base);
            for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
                l.put("quantile", le(q.getQuantile()));
                add(l, t, stale ? Values.STALE_NAN : q.getValue());
            }
            add(labels(name + "_sum", p.getAttributesList(), base), t, stale ? Values.STALE_NAN : p.getSum());
            add(labels(name + "_count", p.getAttributesList(), base), t, stale ? Values.STALE_NAN : p.getCount());
            latest = Math.max(latest, t);
        }
        return latest;
    }

    /**
     * The ref of a gauge or sum point's series, created when new, from its attributes as keys and
     * values in turn ({@code n} strings); labels as {@link OtlpLabels#labels} makes them.
     */
    long numberSeries(String name, String[] attrs, int n, Map<String, String> base) {
        TreeMap<String, String> l = new TreeMap<>();
        for (int i = 0; i < n; i += 2) {
            merge(l, labelNames.computeIfAbsent(attrs[i], OtlpNames::labelName), attrs[i + 1]);
        }
        l.putAll(base);
        l.put(Labels.METRIC_NAME, name);
        return appender.seriesRef(toLabels(l));
    }

    /** Appends a sample of a series already known by ref. */
    void append(long ref, long t, double v) {
        appender.append(ref, t, v);
        samples++;
    }

    Result result() {
        return new Result(samples, rejected, List.copyOf(errors));
    }

    private void add(TreeMap<String, String> l, long t, double v) {
        appender.append(appender.seriesRef(toLabels(l)), t, v);
        samples++;
    }

    void reject(int points, String why) {
        rejected += points;
        if (errors.size() < MAX_ERRORS && !errors.contains(why)) {
            errors.add(why);
        }
    }

    private static int points(Metric m) {
        return switch (m.getDataCase()) {
            case GAUGE -> m.getGauge().getDataPointsCount();
            case SUM -> m.getSum().getDataPointsCount();
            case HISTOGRAM -> m.getHistogram().getDataPointsCount();
            case SUMMARY -> m.getSummary().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
            default -> 0;
        };
    }

    static long millis(long unixNano) {
        return Math.floorDiv(unixNano, 1_000_000L);
    }
}
