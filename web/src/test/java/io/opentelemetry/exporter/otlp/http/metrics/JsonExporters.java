package io.opentelemetry.exporter.otlp.http.metrics;

/** The SDK's OTLP/JSON mode is package-private in 1.68 (exportAsJson); tests reach it from here. */
public final class JsonExporters {
    private JsonExporters() {
    }

    public static OtlpHttpMetricExporter json(String endpoint, java.util.concurrent.ExecutorService executor) {
        return OtlpHttpMetricExporter.builder().setExecutorService(executor).setEndpoint(endpoint).exportAsJson().build();
    }
}
