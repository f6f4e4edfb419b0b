package dev.sandglass.storage;

import dev.sandglass.storage.api.DiskFullException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the store can write, and its write failures by reason (sandglass_storage_*). A full disk
 * is logged once when writes start failing and once when they succeed again, however many
 * commits are refused in between.
 */
public final class StorageHealth {
    private static final Logger LOG = LoggerFactory.getLogger(StorageHealth.class);

    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private volatile boolean writable = true;
    private volatile String pausedBy;

    /** A write succeeded: clears a pause. */
    void wrote() {
        if (!writable) {
            synchronized (this) {
                if (!writable) {
                    writable = true;
                    LOG.info("storage: writes succeed again ({} freed); ingest resumed", pausedBy);
                    pausedBy = null;
                }
            }
        }
    }

    /** A write failed for want of space: pauses (logged once) and counts it. */
    void diskFull(DiskFullException e, String what) {
        count("disk_full");
        synchronized (this) {
            if (writable) {
                writable = false;
                pausedBy = "space";
                LOG.error("storage: {} refused, {} ({} bytes usable, {} needed); ingest paused, queries keep working,"
                        + " writes resume by themselves once space is freed", what, e.getMessage(), e.usableBytes(), e.neededBytes());
            }
        }
    }

    /** Any other write failure: counted (the caller logs it). */
    void failed(String reason) {
        count(reason);
    }

    private void count(String reason) {
        failures.computeIfAbsent(reason, k -> new AtomicLong()).incrementAndGet();
    }

    public boolean writable() {
        return writable;
    }

    public long failures(String reason) {
        AtomicLong n = failures.get(reason);
        return n == null ? 0 : n.get();
    }

    public String writePrometheusTextString() {
        StringBuilder out = new StringBuilder();
        writePrometheusText(out);
        return out.toString();
    }

    /** Prometheus text of sandglass_storage_writable and sandglass_storage_write_failures_total. */
    public void writePrometheusText(StringBuilder out) {
        out.append("# HELP sandglass_storage_writable 1 when the store accepts writes, 0 while they are refused (disk full).\n");
        out.append("# TYPE sandglass_storage_writable gauge\n");
        out.append("sandglass_storage_writable ").append(writable ? 1 : 0).append('\n');
        out.append("# HELP sandglass_storage_write_failures_total Writes the store refused or failed, by reason.\n");
        out.append("# TYPE sandglass_storage_write_failures_total counter\n");
        out.append("sandglass_storage_write_failures_total{reason=\"disk_full\"} ").append(failures("disk_full")).append('\n');
        for (var e : new TreeMap<>(failures).entrySet()) {
            if (!e.getKey().equals("disk_full")) {
                out.append("sandglass_storage_write_failures_total{reason=\"").append(e.getKey()).append("\"} ")
                        .append(e.getValue().get()).append('\n');
            }
        }
    }
}
