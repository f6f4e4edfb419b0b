package dev.sandglass.web.api;

/** Anything that contributes lines to /metrics in Prometheus's text format. */
@FunctionalInterface
public interface MetricsSource {
    void writePrometheusText(StringBuilder out);
}
