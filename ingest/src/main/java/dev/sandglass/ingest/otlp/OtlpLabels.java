package dev.sandglass.ingest.otlp;

import dev.sandglass.storage.api.Labels;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OTLP attributes as Prometheus labels, as its OTLP receiver makes them: the resource's
 * {@code job} and {@code instance}, attribute values as label text, bounds and quantiles as Go
 * writes them, and two keys that map to one label name joined. Label names are {@link OtlpNames}'.
 */
final class OtlpLabels {
    private OtlpLabels() {
    }

    /** The labels every series of a resource carries: {@code job} and {@code instance}. */
    static TreeMap<String, String> base(Map<String, String> attrs) {
        String service = attrs.get("service.name");
        String namespace = attrs.get("service.namespace");
        TreeMap<String, String> base = new TreeMap<>();
        if (service != null) {
            base.put("job", namespace == null || namespace.isEmpty() ? service : namespace + "/" + service);
        }
        String instance = attrs.get("service.instance.id");
        if (instance != null) {
            base.put("instance", instance);
        }
        return base;
    }

    static TreeMap<String, String> labels(String name, List<KeyValue> attrs, Map<String, String> base) {
        TreeMap<String, String> l = new TreeMap<>();
        for (KeyValue kv : attrs) {
            merge(l, OtlpNames.labelName(kv.getKey()), text(kv.getValue()));
        }
        l.putAll(base);
        l.put(Labels.METRIC_NAME, name);
        return l;
    }

    /** Two keys that become one label name keep both values, joined with ';' (as Prometheus does). */
    static void merge(TreeMap<String, String> l, String name, String value) {
        if (name.isEmpty()) {
            return;
        }
        l.merge(name, value, (a, b) -> a.compareTo(b) <= 0 ? a + ";" + b : b + ";" + a);
    }

    static Labels toLabels(TreeMap<String, String> l) {
        String[] kv = new String[2 * l.size()];
        int i = 0;
        for (var e : l.entrySet()) {
            kv[i++] = e.getKey();
            kv[i++] = e.getValue();
        }
        return Labels.of(kv);
    }

    static Map<String, String> attributes(List<KeyValue> kvs) {
        Map<String, String> out = new TreeMap<>();
        for (KeyValue kv : kvs) {
            out.put(kv.getKey(), text(kv.getValue()));
        }
        return out;
    }

    /** An attribute value as label text: strings as they are, other scalars in their usual form. */
    static String text(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> le(v.getDoubleValue());
            case ARRAY_VALUE -> {
                List<String> parts = new ArrayList<>();
                for (AnyValue a : v.getArrayValue().getValuesList()) {
                    parts.add(a.getValueCase() == AnyValue.ValueCase.STRING_VALUE ? "\"" + a.getStringValue() + "\"" : text(a));
                }
                yield "[" + String.join(",", parts) + "]";
            }
            default -> "";
        };
    }

    /** A bound or quantile as Go's FormatFloat(v, 'f', -1, 64) writes it: "0.25", "100", "+Inf". */
    static String le(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return Double.doubleToRawLongBits(v) == 0 ? "0" : "-0";
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
