package dev.sandglass.ingest.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.ingest.source.SourceHealth;
import dev.sandglass.ingest.source.TestEndpoint;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.mem.MemStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --scrape flags and Prometheus configuration files: defaults, checks, unsupported keys, credentials. */
class ScrapeConfigsTest {
    @TempDir
    Path tmp;

    private List<ScrapeTarget> load(String yaml, List<String> notes) throws Exception {
        Path f = tmp.resolve("p.yml");
        Files.writeString(f, yaml);
        return ScrapeConfigs.load(f, notes::add);
    }

    private String error(String yaml) {
        return assertThrows(IllegalArgumentException.class, () -> load(yaml, new ArrayList<>())).getMessage();
    }

    @Test
    void flagDefaults() {
        ScrapeTarget t = ScrapeConfigs.fromFlag("http://127.0.0.1:9100/metrics?collect%5B%5D=cpu&collect%5B%5D=meminfo,interval=5s,job=node");
        assertEquals("node", t.job());
        assertEquals(5000, t.intervalMs());
        assertEquals(5000, t.timeoutMs());
        assertEquals(Labels.of("job", "node", "instance", "127.0.0.1:9100"), t.labels());
        assertEquals(List.of("cpu", "meminfo"), t.params().get("collect[]"));
        ScrapeTarget d = ScrapeConfigs.fromFlag("http://exporter");
        assertEquals("exporter:80", d.address());
        assertEquals("/metrics", d.metricsPath());
        assertEquals(15_000, d.intervalMs());
        assertEquals(10_000, d.timeoutMs());
        assertEquals("scrape", d.job());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScrapeConfigs.fromFlag("ftp://x/metrics")).getMessage()
                .contains("expected an http:// or https:// URL"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScrapeConfigs.fromFlag("http://x,interval=soon")).getMessage()
                .contains("not a positive duration"));
    }

    @Test
    void configFileWithPrometheusDefaults() throws Exception {
        List<String> notes = new ArrayList<>();
        List<ScrapeTarget> ts = load(String.join("\n",
                "global: {scrape_interval: 30s, evaluation_interval: 1m}",
                "rule_files: [a.yml]",
                "scrape_configs:",
                "  - job_name: a",
                "    static_configs: [{targets: ['h1:9100', 'h2:9100'], labels: {dc: x}}]",
                "  - job_name: b",
                "    scrape_interval: 5s",
                "    scheme: https",
                "    honor_timestamps: false",
                "    static_configs: [{targets: ['h3']}]"), notes);
        assertEquals(3, ts.size());
        assertEquals(30_000, ts.get(0).intervalMs());
        assertEquals(10_000, ts.get(0).timeoutMs());
        assertEquals(Labels.of("job", "a", "instance", "h2:9100", "dc", "x"), ts.get(1).labels());
        assertEquals(5_000, ts.get(2).timeoutMs(), "the global timeout never exceeds the job's interval");
        assertEquals("https://h3:443/metrics", ts.get(2).display());
        assertFalse(ts.get(2).honorTimestamps());
        assertTrue(notes.stream().anyMatch(n -> n.contains("section \"rule_files\" is not used")), notes.toString());
        assertTrue(notes.stream().anyMatch(n -> n.contains("global.evaluation_interval is not supported")), notes.toString());
    }

    @Test
    void unsupportedKeysAreNamedNotIgnored() {
        String e = error("scrape_configs:\n  - job_name: a\n    relabel_configs: []\n    metric_relabel_configs: []\n    static_configs: []\n");
        assertTrue(e.contains("job \"a\": metric_relabel_configs, relabel_configs are not supported by Sandglass"), e);
        assertTrue(e.contains("supported: job_name, scrape_interval"), e);
        assertTrue(error("scrape_configs:\n  - job_name: a\n    file_sd_configs: [{files: [x]}]\n").contains("file_sd_configs is not supported"));
        assertTrue(error("scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n    scrape_timeout: 10s\n")
                .contains("scrape_timeout (10000 ms) is greater than scrape_interval (5000 ms)"));
        assertTrue(error("scrape_configs:\n  - job_name: a\n  - job_name: a\n").contains("job_name \"a\" is used twice"));
        assertTrue(error("scrape_configs:\n  - static_configs: []\n").contains("job_name is required"));
        assertTrue(error("scrape_configs: [ {job_name: a, static_configs: [{targets: ['http://h:1/metrics']}]} ]").contains("must be host:port"));
        assertTrue(error("scrape_configs:\n  - job_name: a\n    basic_auth: {username: u, password: p, password_file: f}\n")
                .contains("at most one of password and password_file"));
        assertTrue(error("scrape_configs: [\n").contains("not valid YAML"));
    }

    @Test
    void credentialsFromFilesAreSentAndRereadEachScrape() throws Exception {
        Files.writeString(tmp.resolve("token"), "s3cret\n");
        Files.writeString(tmp.resolve("pw"), "hunter2\n");
        try (TestEndpoint ep = new TestEndpoint("/metrics")) {
            ep.serve("text/plain", "a 1\n");
            List<ScrapeTarget> ts = load(String.join("\n",
                    "scrape_configs:",
                    "  - job_name: bearer",
                    "    authorization: {credentials_file: token}",
                    "    static_configs: [{targets: ['127.0.0.1:" + ep.port() + "']}]",
                    "  - job_name: basic",
                    "    basic_auth: {username: alice, password_file: pw}",
                    "    static_configs: [{targets: ['127.0.0.1:" + ep.port() + "']}]"), new ArrayList<>());
            MemStorage store = new MemStorage();
            ScrapeClient client = new ScrapeClient("t");
            for (ScrapeTarget t : ts) {
                new ScrapeLoop(t, client, store.appender(), new SourceHealth("scrape", t.display())).scrapeOnce();
            }
            assertEquals("Bearer s3cret", ep.requests.get(0).getFirst("Authorization"));
            assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("alice:hunter2".getBytes()), ep.requests.get(1).getFirst("Authorization"));
            Files.writeString(tmp.resolve("token"), "rotated");
            SourceHealth h = new SourceHealth("scrape", "x");
            new ScrapeLoop(ts.get(0), client, store.appender(), h).scrapeOnce();
            assertEquals("Bearer rotated", ep.requests.get(2).getFirst("Authorization"));
            Files.delete(tmp.resolve("token"));
            new ScrapeLoop(ts.get(0), client, store.appender(), h).scrapeOnce();
            assertEquals(1, h.failures("auth"));
            assertTrue(h.lastError().contains("cannot read authorization credentials_file"), h.lastError());
        }
    }
}
