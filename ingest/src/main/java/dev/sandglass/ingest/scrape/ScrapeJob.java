package dev.sandglass.ingest.scrape;

import static dev.sandglass.ingest.scrape.ScrapeConfigs.list;
import static dev.sandglass.ingest.scrape.ScrapeConfigs.map;
import static dev.sandglass.ingest.scrape.ScrapeConfigs.onlyKnown;
import static dev.sandglass.ingest.scrape.ScrapeConfigs.string;

import dev.sandglass.ingest.bulk.SeriesText;
import dev.sandglass.storage.api.Labels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One entry of scrape_configs turned into targets, with the global defaults and Prometheus's checks. */
final class ScrapeJob {
    private final String name;
    private final String where;
    private final Path baseDir;
    private final long globalInterval;
    private final long globalTimeout;

    ScrapeJob(String name, String where, Path baseDir, long globalInterval, long globalTimeout) {
        this.name = name;
        this.where = where;
        this.baseDir = baseDir;
        this.globalInterval = globalInterval;
        this.globalTimeout = globalTimeout;
    }

    void targets(Map<String, Object> job, List<ScrapeTarget> out) {
        onlyKnown(job, ScrapeConfigs.JOB_KEYS, where);
        long interval = ScrapeConfigs.duration(job.get("scrape_interval"), globalInterval, where + " scrape_interval");
        long timeout;
        if (job.get("scrape_timeout") != null) {
            timeout = ScrapeConfigs.duration(job.get("scrape_timeout"), 0, where + " scrape_timeout");
        } else {
            timeout = Math.min(globalTimeout, interval); // as Prometheus: the global timeout never exceeds the job's interval
        }
        if (timeout > interval) {
            throw new IllegalArgumentException(where + ": scrape_timeout (" + timeout + " ms) is greater than scrape_interval ("
                    + interval + " ms)");
        }
        String scheme = string(job.get("scheme"), "http", where + " scheme");
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(where + ": scheme must be http or https, got \"" + scheme + "\"");
        }
        String path = string(job.get("metrics_path"), "/metrics", where + " metrics_path");
        boolean honorLabels = bool(job.get("honor_labels"), false, "honor_labels");
        boolean honorTimestamps = bool(job.get("honor_timestamps"), true, "honor_timestamps");
        Map<String, List<String>> params = params(job.get("params"));
        ScrapeTarget.Auth auth = auth(job);
        Object statics = job.get("static_configs");
        if (statics == null) {
            return;
        }
        List<?> groups = list(statics, where + " static_configs");
        for (int g = 0; g < groups.size(); g++) {
            String gw = where + " static_configs[" + g + "]";
            Map<String, Object> group = map(groups.get(g), gw);
            onlyKnown(group, ScrapeConfigs.STATIC_KEYS, gw);
            Labels.Builder lb = Labels.EMPTY.builder();
            if (group.get("labels") != null) {
                for (var e : map(group.get("labels"), gw + " labels").entrySet()) {
                    if (!SeriesText.validLabelName(e.getKey())) {
                        throw new IllegalArgumentException(gw + ": \"" + e.getKey() + "\" is not a valid label name");
                    }
                    lb.set(e.getKey(), string(e.getValue(), "", gw + " labels." + e.getKey()));
                }
            }
            Object ts = group.get("targets");
            for (Object t : ts == null ? List.of() : list(ts, gw + " targets")) {
                String addr = string(t, "", gw + " targets");
                if (addr.isEmpty() || addr.contains("/")) {
                    throw new IllegalArgumentException(gw + ": target \"" + addr + "\" must be host:port (scheme and path go in scheme and metrics_path)");
                }
                String address = ScrapeConfigs.withPort(scheme, addr);
                Labels labels = lb.build().builder().set("job", name).set("instance", address).build();
                if (group.get("labels") != null && map(group.get("labels"), gw).containsKey("instance")) {
                    labels = labels.builder().set("instance", lb.get("instance")).build();
                }
                out.add(new ScrapeTarget(name, scheme, address, path, params, interval, timeout, labels, honorLabels, honorTimestamps, auth));
            }
        }
    }

    private boolean bool(Object o, boolean dflt, String key) {
        if (o == null) {
            return dflt;
        }
        if (o instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException(where + ": " + key + " must be true or false, got \"" + o + "\"");
    }

    private Map<String, List<String>> params(Object o) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (o == null) {
            return params;
        }
        for (var e : map(o, where + " params").entrySet()) {
            List<String> vs = new ArrayList<>();
            for (Object v : list(e.getValue(), where + " params." + e.getKey())) {
                vs.add(string(v, "", where + " params." + e.getKey()));
            }
            params.put(e.getKey(), vs);
        }
        return params;
    }

    private ScrapeTarget.Auth auth(Map<String, Object> job) {
        if (job.get("basic_auth") != null && job.get("authorization") != null) {
            throw new IllegalArgumentException(where + ": at most one of basic_auth and authorization may be configured");
        }
        if (job.get("basic_auth") != null) {
            Map<String, Object> b = map(job.get("basic_auth"), where + " basic_auth");
            onlyKnown(b, ScrapeConfigs.BASIC_KEYS, where + " basic_auth");
            if (b.get("password") != null && b.get("password_file") != null) {
                throw new IllegalArgumentException(where + " basic_auth: at most one of password and password_file may be configured");
            }
            String file = string(b.get("password_file"), null, where + " basic_auth.password_file");
            return new ScrapeTarget.Auth.Basic(string(b.get("username"), "", where + " basic_auth.username"),
                    string(b.get("password"), null, where + " basic_auth.password"), file == null ? null : baseDir.resolve(file));
        }
        if (job.get("authorization") != null) {
            Map<String, Object> a = map(job.get("authorization"), where + " authorization");
            onlyKnown(a, ScrapeConfigs.AUTHZ_KEYS, where + " authorization");
            if (a.get("credentials") != null && a.get("credentials_file") != null) {
                throw new IllegalArgumentException(where + " authorization: at most one of credentials and credentials_file may be configured");
            }
            String type = string(a.get("type"), "Bearer", where + " authorization.type");
            if (type.equalsIgnoreCase("basic")) {
                throw new IllegalArgumentException(where + " authorization: type Basic is not allowed; use basic_auth");
            }
            String file = string(a.get("credentials_file"), null, where + " authorization.credentials_file");
            return new ScrapeTarget.Auth.Bearer(type, string(a.get("credentials"), "", where + " authorization.credentials"),
                    file == null ? null : baseDir.resolve(file));
        }
        return ScrapeTarget.NO_AUTH;
    }
}
