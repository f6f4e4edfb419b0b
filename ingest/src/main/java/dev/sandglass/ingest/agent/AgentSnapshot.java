package dev.sandglass.ingest.agent;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HopX-style agent snapshot: {@code uptime_seconds}, {@code total_executions},
 * {@code active_executions}, {@code error_count}, and a map of endpoints to their
 * {@code requests_total}, {@code avg_duration_ms} and {@code p95_duration_ms}. The endpoint map is
 * the top-level object whose members are objects with {@code requests_total} (HopX calls it
 * {@code endpoints}). A field that is missing is null, never zero.
 */
record AgentSnapshot(Double uptimeSeconds, Double totalExecutions, Double activeExecutions, Double errorCount,
                     Map<String, Endpoint> endpoints) {
    record Endpoint(Double requestsTotal, Double avgDurationMs, Double p95DurationMs) {
    }

    private static final JsonFactory JSON = new JsonFactory();

    /** @throws IllegalArgumentException saying what is wrong with the JSON */
    static AgentSnapshot parse(byte[] body) {
        Object root;
        try (JsonParser p = JSON.createParser(body)) {
            root = value(p, p.nextToken());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException("expected a JSON object at the top");
        }
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        for (var e : top.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> m && !m.isEmpty() && m.values().stream()
                    .allMatch(v -> v instanceof Map<?, ?> ep && ep.containsKey("requests_total"))) {
                for (var ep : m.entrySet()) {
                    Map<?, ?> f = (Map<?, ?>) ep.getValue();
                    endpoints.put(ep.getKey().toString(), new Endpoint(num(f, "requests_total"), num(f, "avg_duration_ms"), num(f, "p95_duration_ms")));
                }
            }
        }
        return new AgentSnapshot(num(top, "uptime_seconds"), num(top, "total_executions"), num(top, "active_executions"),
                num(top, "error_count"), endpoints);
    }

    private static Double num(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("\"" + key + "\" must be a number, got " + (v instanceof String ? "\"" + v + "\"" : v));
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        if (t == null) {
            throw new IllegalArgumentException("empty body");
        }
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    m.put(k, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY -> {
                java.util.List<Object> l = new java.util.ArrayList<>();
                for (JsonToken x = p.nextToken(); x != JsonToken.END_ARRAY; x = p.nextToken()) {
                    l.add(value(p, x));
                }
                return l;
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return t == JsonToken.VALUE_TRUE;
            }
            default -> {
                return null;
            }
        }
    }
}
