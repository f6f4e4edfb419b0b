package dev.sandglass.ingest.scrape;

import dev.sandglass.ingest.source.SourceSpec;
import dev.sandglass.storage.api.Labels;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Scrape targets from {@code --scrape URL[,interval=DUR][,job=NAME]} and from the
 * {@code global} and {@code scrape_configs} parts of a Prometheus configuration file, with
 * Prometheus's defaults. A key Sandglass does not implement inside a scrape config is an error
 * naming it (a target scraped differently from what the file says would be worse); other top-level
 * sections (rule_files, alerting, remote_write...) are reported as not used.
 */
public final class ScrapeConfigs {
    public static final long FLAG_INTERVAL_MS = 15_000;
    public static final long DEFAULT_INTERVAL_MS = 60_000;
    public static final long DEFAULT_TIMEOUT_MS = 10_000;
    static final Set<String> FLAG_KEYS = orderedSet("interval", "job");
    static final Set<String> JOB_KEYS = orderedSet("job_name", "scrape_interval", "scrape_timeout", "metrics_path", "scheme", "params",
            "honor_labels", "honor_timestamps", "static_configs", "basic_auth", "authorization");
    static final Set<String> GLOBAL_KEYS = orderedSet("scrape_interval", "scrape_timeout");
    static final Set<String> STATIC_KEYS = orderedSet("targets", "labels");
    static final Set<String> BASIC_KEYS = orderedSet("username", "password", "password_file");
    static final Set<String> AUTHZ_KEYS = orderedSet("type", "credentials", "credentials_file");

    private ScrapeConfigs() {
    }

    /** {@code URL[,interval=DUR][,job=NAME]}; interval defaults to 15s, job to "scrape". */
    public static ScrapeTarget fromFlag(String text) {
        SourceSpec spec = SourceSpec.parse("--scrape", text, true, FLAG_KEYS);
        URI u;
        try {
            u = URI.create(spec.head());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--scrape \"" + text + "\": not a URL: " + e.getMessage());
        }
        if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
            throw new IllegalArgumentException("--scrape \"" + text + "\": expected an http:// or https:// URL, e.g. http://127.0.0.1:9100/metrics");
        }
        long interval = spec.durationMs("interval", FLAG_INTERVAL_MS);
        String job = spec.options().getOrDefault("job", "scrape");
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (u.getRawQuery() != null) {
            for (String kv : u.getRawQuery().split("&")) {
                int eq = kv.indexOf('=');
                String k = decode(eq < 0 ? kv : kv.substring(0, eq));
                params.computeIfAbsent(k, x -> new ArrayList<>()).add(eq < 0 ? "" : decode(kv.substring(eq + 1)));
            }
        }
        String address = withPort(u.getScheme(), u.getRawAuthority());
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/metrics" : u.getRawPath();
        return new ScrapeTarget(job, u.getScheme(), address, path, params, interval, Math.min(DEFAULT_TIMEOUT_MS, interval),
                Labels.of("job", job, "instance", address), false, true, ScrapeTarget.NO_AUTH);
    }

    /**
     * Targets of a Prometheus configuration file.
     *
     * @param notUsed told about each top-level section that is not about scraping
     * @throws IllegalArgumentException naming the file, the job and the key
     */
    public static List<ScrapeTarget> load(Path file, Consumer<String> notUsed) {
        Object root;
        try (Reader r = Files.newBufferedReader(file)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("--scrape-config " + file + ": cannot read: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--scrape-config " + file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        String where = "--scrape-config " + file;
        Map<String, Object> top = map(root == null ? Map.of() : root, where);
        for (String k : top.keySet()) {
            if (!k.equals("global") && !k.equals("scrape_configs")) {
                notUsed.accept(where + ": section \"" + k + "\" is not used (Sandglass reads only global and scrape_configs)");
            }
        }
        Map<String, Object> global = map(top.getOrDefault("global", Map.of()), where + " global");
        Map<String, Object> globalScrape = new LinkedHashMap<>();
        for (var e : global.entrySet()) {
            if (GLOBAL_KEYS.contains(e.getKey())) {
                globalScrape.put(e.getKey(), e.getValue());
            } else {
                notUsed.accept(where + ": global." + e.getKey() + " is not supported and not used");
            }
        }
        long gInterval = duration(globalScrape.get("scrape_interval"), DEFAULT_INTERVAL_MS, where + " global.scrape_interval");
        long gTimeout = duration(globalScrape.get("scrape_timeout"), DEFAULT_TIMEOUT_MS, where + " global.scrape_timeout");
        List<ScrapeTarget> out = new ArrayList<>();
        Set<String> jobs = new TreeSet<>();
        Object jobsNode = top.get("scrape_configs");
        List<?> list = jobsNode == null ? List.of() : list(jobsNode, where + " scrape_configs");
        for (int i = 0; i < list.size(); i++) {
            Map<String, Object> job = map(list.get(i), where + " scrape_configs[" + i + "]");
            String jobName = string(job.get("job_name"), null, where + " scrape_configs[" + i + "].job_name");
            if (jobName == null || jobName.isEmpty()) {
                throw new IllegalArgumentException(where + " scrape_configs[" + i + "]: job_name is required");
            }
            if (!jobs.add(jobName)) {
                throw new IllegalArgumentException(where + ": job_name \"" + jobName + "\" is used twice");
            }
            new ScrapeJob(jobName, where + " job \"" + jobName + "\"", file.toAbsolutePath().getParent(), gInterval, gTimeout).targets(job, out);
        }
        return out;
    }

    static String withPort(String scheme, String authority) {
        if (authority.matches(".*:\\d+$")) {
            return authority;
        }
        return authority + (scheme.equals("https") ? ":443" : ":80");
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    static Set<String> orderedSet(String... keys) {
        return new java.util.LinkedHashSet<>(List.of(keys));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String where) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException(where + ": expected a mapping");
        }
        return (Map<String, Object>) o;
    }

    static List<?> list(Object o, String where) {
        if (!(o instanceof List)) {
            throw new IllegalArgumentException(where + ": expected a list");
        }
        return (List<?>) o;
    }

    static String string(Object o, String dflt, String where) {
        if (o == null) {
            return dflt;
        }
        if (o instanceof Map || o instanceof List) {
            throw new IllegalArgumentException(where + ": expected a string");
        }
        return o.toString();
    }

    static long duration(Object o, long dflt, String where) {
        return o == null ? dflt : SourceSpec.durationMs(where, o.toString());
    }

    static void onlyKnown(Map<String, Object> m, Set<String> known, String where) {
        List<String> unknown = m.keySet().stream().filter(k -> !known.contains(k)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + String.join(", ", unknown) + (unknown.size() == 1 ? " is" : " are")
                    + " not supported by Sandglass (supported: " + String.join(", ", known) + "); remove "
                    + (unknown.size() == 1 ? "it" : "them") + " or scrape this job with Prometheus");
        }
    }
}
