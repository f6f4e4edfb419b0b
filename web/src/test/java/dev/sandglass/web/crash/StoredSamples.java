package dev.sandglass.web.crash;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every sample a running server answers with, by series (its labels as the API writes them) and
 * timestamp: what it has acknowledged, since the API shows only committed (durable) samples.
 */
final class StoredSamples {
    /** series -> timestamp (ms) -> value as the API wrote it. */
    final Map<String, TreeMap<Long, String>> series = new HashMap<>();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static StoredSamples fetch(int port, String selector) throws IOException, InterruptedException {
        String q = URLEncoder.encode(selector + "[100y]", StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query=" + q))
                .timeout(Duration.ofSeconds(60)).build();
        HttpResponse<byte[]> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() != 200) {
            throw new IOException("query answered " + resp.statusCode() + ": " + new String(resp.body(), StandardCharsets.UTF_8));
        }
        return parse(resp.body());
    }

    static int status(int port, String path) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build();
            return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Parses a matrix answer: result[] of {metric: {...}, values: [[t, "v"], ...]}. */
    static StoredSamples parse(byte[] json) throws IOException {
        StoredSamples out = new StoredSamples();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("metric")) {
                    p.nextToken();
                    StringBuilder key = new StringBuilder("{");
                    while (p.nextToken() != JsonToken.END_OBJECT) {
                        String name = p.currentName();
                        p.nextToken();
                        key.append(name).append("=\"").append(p.getText()).append("\",");
                    }
                    key.append('}');
                    TreeMap<Long, String> samples = new TreeMap<>();
                    while (!(p.nextToken() == JsonToken.FIELD_NAME && p.currentName().equals("values"))) {
                        // skip to the values
                    }
                    p.nextToken(); // [
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        p.nextToken();
                        long t = Math.round(p.getDoubleValue() * 1000);
                        p.nextToken();
                        String v = p.getText();
                        p.nextToken(); // ]
                        if (samples.put(t, v) != null) {
                            throw new IOException("series " + key + " answers timestamp " + t + " twice");
                        }
                    }
                    out.series.put(key.toString(), samples);
                }
            }
        }
        return out;
    }

    long count() {
        return series.values().stream().mapToLong(TreeMap::size).sum();
    }

    /**
     * Compares what was acknowledged before a kill with what is served after the restart, series by
     * series up to the newest acknowledged timestamp (later ones were committed after the snapshot):
     * returns {lost, changed or extra}.
     */
    static long[] compare(StoredSamples acked, StoredSamples now) {
        long lost = 0;
        long wrong = 0;
        for (var e : acked.series.entrySet()) {
            TreeMap<Long, String> before = e.getValue();
            if (before.isEmpty()) {
                continue;
            }
            TreeMap<Long, String> after = now.series.getOrDefault(e.getKey(), new TreeMap<>());
            for (var s : before.entrySet()) {
                String v = after.get(s.getKey());
                if (v == null) {
                    lost++;
                } else if (!v.equals(s.getValue())) {
                    wrong++;
                }
            }
            for (long t : after.headMap(before.lastKey(), true).keySet()) {
                if (!before.containsKey(t)) {
                    wrong++; // a sample that was not there before, between acknowledged ones
                }
            }
        }
        return new long[] {lost, wrong};
    }
}
