package dev.sandglass.web.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A parsed JSON value for assertions (Vert.x's parser; no object mapper in the build). */
final class JsonNode implements Iterable<JsonNode> {
    private final Object v;

    private JsonNode(Object v) {
        this.v = v;
    }

    static JsonNode parse(String json) {
        String t = json.trim();
        return new JsonNode(t.startsWith("[") ? new JsonArray(t) : new JsonObject(t));
    }

    JsonNode get(String field) {
        if (!(v instanceof JsonObject o) || !o.containsKey(field)) {
            return null;
        }
        return new JsonNode(o.getValue(field));
    }

    JsonNode get(int i) {
        return new JsonNode(((JsonArray) v).getValue(i));
    }

    int size() {
        return v instanceof JsonArray a ? a.size() : ((JsonObject) v).size();
    }

    boolean isNull() {
        return v == null;
    }

    String asText() {
        return String.valueOf(v);
    }

    int asInt() {
        return ((Number) v).intValue();
    }

    long asLong() {
        return ((Number) v).longValue();
    }

    double asDouble() {
        return ((Number) v).doubleValue();
    }

    boolean asBoolean() {
        return (Boolean) v;
    }

    @Override
    public Iterator<JsonNode> iterator() {
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            out.add(get(i));
        }
        return out.iterator();
    }

    @Override
    public String toString() {
        return String.valueOf(v);
    }
}
