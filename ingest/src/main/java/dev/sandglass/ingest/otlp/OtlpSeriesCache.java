package dev.sandglass.ingest.otlp;

import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Series refs of gauge and sum points by what names them (the Prometheus metric name, the
 * resource's job and instance, the point's attributes as sent), shared by the requests of one
 * receiver: an exporter sends the same attributes every interval, so a known series skips
 * normalizing every key and building its label set. Bounded: emptied past {@code maxEntries}.
 */
public final class OtlpSeriesCache {
    record Key(String name, String job, String instance, List<KeyValue> attributes) {
    }

    private final ConcurrentHashMap<Key, Long> refs = new ConcurrentHashMap<>();
    private final int maxEntries;

    public OtlpSeriesCache(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    Long get(Key k) {
        return refs.get(k);
    }

    void put(Key k, long ref) {
        if (refs.size() >= maxEntries) {
            refs.clear();
        }
        refs.put(k, ref);
    }

    int size() {
        return refs.size();
    }
}
