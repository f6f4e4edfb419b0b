package dev.sandglass.ingest.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtlpNamesTest {
    @ParameterizedTest(name = "{0} [{1}] {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "microsandbox.memory.usage|By|GAUGE|microsandbox_memory_usage_bytes",
        "microsandbox.memory.limit|By|GAUGE|microsandbox_memory_limit_bytes",
        "microsandbox.cpu.utilization|1|GAUGE|microsandbox_cpu_utilization_ratio",
        "microsandbox.disk.bytes_written|By|GAUGE|microsandbox_disk_bytes_written",
        "microsandbox.uptime|s|GAUGE|microsandbox_uptime_seconds",
        "http.server.request.duration|s|HISTOGRAM|http_server_request_duration_seconds",
        "requests.count|1|MONOTONIC_COUNTER|requests_count_total",
        "system.network.io|By|MONOTONIC_COUNTER|system_network_io_bytes_total",
        "requests_total|{requests}|MONOTONIC_COUNTER|requests_total",
        "total.requests|1|MONOTONIC_COUNTER|requests_total",
        "queue.depth|{items}|NON_MONOTONIC_COUNTER|queue_depth",
        "throughput|By/s|GAUGE|throughput_bytes_per_second",
        "rate|1/s|GAUGE|rate_per_second",
        "cpu.ratio|1|GAUGE|cpu_ratio",
        "temp|Cel|GAUGE|temp_celsius",
        "weird..name__x|null|GAUGE|weird_name_x",
        "2xx.count|null|GAUGE|_2xx_count",
        "a.b|foo-bar|GAUGE|a_b_foo_bar",
        "mem|%|GAUGE|mem_percent",
        "latency|ms|SUMMARY|latency_milliseconds",
        "per.thing|/s|GAUGE|per_thing_per_second",
    })
    void metricNames(String name, String unit, OtlpNames.Kind kind, String want) {
        assertEquals(want, OtlpNames.metricName(name, unit, kind));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "sandbox.name|sandbox_name",
        "host-name|host_name",
        "0day|key_0day",
        "_private|key_private",
        "__reserved|__reserved",
        "ok_1|ok_1",
    })
    void labelNames(String key, String want) {
        assertEquals(want, OtlpNames.labelName(key));
    }

    @org.junit.jupiter.api.Test
    void nameWithNothingUsableIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OtlpNames.metricName("...", "", OtlpNames.Kind.GAUGE));
        assertEquals("metric name \"...\" has no character Prometheus can keep", e.getMessage());
    }
}
