package dev.sandglass.web.remote;

import dev.sandglass.web.api.MetricsSource;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** One remote-write sender's figures, for /metrics (labelled by url). */
public final class SenderMetrics implements MetricsSource {
    private final String url;
    final LongAdder sent = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder retried = new LongAdder();
    final AtomicLong pending = new AtomicLong();
    final AtomicLong newestSent = new AtomicLong(Long.MIN_VALUE);

    public SenderMetrics(String url) {
        this.url = url;
    }

    public String url() {
        return url;
    }

    public long sent() {
        return sent.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public long retried() {
        return retried.sum();
    }

    /** Seconds between now and the newest sample the receiver took (0 before the first). */
    public double lagSeconds(long nowMs) {
        long t = newestSent.get();
        return t == Long.MIN_VALUE ? 0 : Math.max(0, (nowMs - t) / 1000.0);
    }

    @Override
    public void writePrometheusText(StringBuilder out) {
        String l = "{url=\"" + url.replace("\\", "\\\\").replace("\"", "\\\"") + "\"} ";
        out.append("# HELP sandglass_remote_write_sent_samples_total Samples the remote-write receiver took.\n")
                .append("# TYPE sandglass_remote_write_sent_samples_total counter\n")
                .append("sandglass_remote_write_sent_samples_total").append(l).append(sent.sum()).append('\n')
                .append("# HELP sandglass_remote_write_failed_samples_total Samples the receiver refused for good (4xx).\n")
                .append("# TYPE sandglass_remote_write_failed_samples_total counter\n")
                .append("sandglass_remote_write_failed_samples_total").append(l).append(failed.sum()).append('\n')
                .append("# HELP sandglass_remote_write_retried_samples_total Samples sent again after a network error, 5xx or 429.\n")
                .append("# TYPE sandglass_remote_write_retried_samples_total counter\n")
                .append("sandglass_remote_write_retried_samples_total").append(l).append(retried.sum()).append('\n')
                .append("# HELP sandglass_remote_write_pending_samples Samples read from the WAL and not yet taken by the receiver.\n")
                .append("# TYPE sandglass_remote_write_pending_samples gauge\n")
                .append("sandglass_remote_write_pending_samples").append(l).append(pending.get()).append('\n')
                .append("# HELP sandglass_remote_write_lag_seconds Now minus the newest sample the receiver took.\n")
                .append("# TYPE sandglass_remote_write_lag_seconds gauge\n")
                .append("sandglass_remote_write_lag_seconds").append(l).append(lagSeconds(System.currentTimeMillis())).append('\n');
    }
}
