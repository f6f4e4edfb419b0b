package dev.sandglass.web.remote;

import dev.sandglass.web.api.MetricsSource;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the write endpoints, for /metrics. */
public final class WriteMetrics implements MetricsSource {
    /** One counter each: name and help. */
    public enum Kind {
        OTLP_REQUEST("sandglass_otlp_requests_total", "OTLP export requests received."),
        OTLP_SAMPLES("sandglass_otlp_samples_total", "Samples stored from OTLP."),
        OTLP_REJECTED("sandglass_otlp_rejected_points_total", "OTLP data points rejected (named in partial-success answers)."),
        OTLP_FAILED("sandglass_otlp_failed_requests_total", "OTLP requests refused whole (bad body, too large, store error)."),
        RW_REQUEST("sandglass_remote_write_requests_total", "Remote-write requests received."),
        RW_SAMPLES("sandglass_remote_write_samples_total", "Samples stored from remote write."),
        RW_REJECTED("sandglass_remote_write_rejected_samples_total", "Remote-write samples rejected (bad labels, out of bounds)."),
        RW_FAILED("sandglass_remote_write_failed_requests_total", "Remote-write requests refused whole.");

        final String metric;
        final String help;

        Kind(String metric, String help) {
            this.metric = metric;
            this.help = help;
        }
    }

    private final LongAdder[] counters = new LongAdder[Kind.values().length];

    public WriteMetrics() {
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new LongAdder();
        }
    }

    public void count(Kind kind, long n) {
        counters[kind.ordinal()].add(n);
    }

    public long get(Kind kind) {
        return counters[kind.ordinal()].sum();
    }

    @Override
    public void writePrometheusText(StringBuilder out) {
        for (Kind k : Kind.values()) {
            out.append("# HELP ").append(k.metric).append(' ').append(k.help).append("\n# TYPE ").append(k.metric)
                    .append(" counter\n").append(k.metric).append(' ').append(get(k)).append('\n');
        }
    }
}
