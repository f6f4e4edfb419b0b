package dev.sandglass.ingest.scrape;

import dev.sandglass.storage.api.Labels;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One endpoint to scrape, as Prometheus's static_configs describe it after defaults are applied.
 * {@code labels} are the target labels every scraped series gets: job, instance and the static
 * labels. {@code params} become the URL's query (each name may repeat, as in Prometheus).
 */
public record ScrapeTarget(String job, String scheme, String address, String metricsPath, Map<String, List<String>> params,
                           long intervalMs, long timeoutMs, Labels labels, boolean honorLabels, boolean honorTimestamps, Auth auth) {

    /** Credentials sent with every scrape; files are read at each scrape, so a rotated secret is picked up. */
    public sealed interface Auth permits Auth.None, Auth.Basic, Auth.Bearer {
        /** The Authorization header value, or null. */
        String header();

        record None() implements Auth {
            @Override
            public String header() {
                return null;
            }
        }

        record Basic(String username, String password, Path passwordFile) implements Auth {
            @Override
            public String header() {
                String pw = passwordFile != null ? Secrets.read(passwordFile, "basic_auth password_file") : password == null ? "" : password;
                return "Basic " + java.util.Base64.getEncoder().encodeToString((username + ":" + pw).getBytes(StandardCharsets.UTF_8));
            }
        }

        record Bearer(String type, String credentials, Path credentialsFile) implements Auth {
            @Override
            public String header() {
                String c = credentialsFile != null ? Secrets.read(credentialsFile, "authorization credentials_file") : credentials;
                return type + " " + c;
            }
        }
    }

    public static final Auth NO_AUTH = new Auth.None();

    /** The URL scraped: scheme://address/metrics_path?params. */
    public URI uri() {
        StringBuilder q = new StringBuilder();
        for (var e : params.entrySet()) {
            for (String v : e.getValue()) {
                q.append(q.length() == 0 ? "?" : "&").append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        }
        String path = metricsPath.startsWith("/") ? metricsPath : "/" + metricsPath;
        return URI.create(scheme + "://" + address + path + q);
    }

    /** How the target is named in logs and health series: its URL. */
    public String display() {
        return uri().toString();
    }

    /** Secrets read from files, trailing newline dropped as Prometheus does. */
    static final class Secrets {
        private Secrets() {
        }

        static String read(Path file, String what) {
            try {
                return java.nio.file.Files.readString(file).strip();
            } catch (java.io.IOException e) {
                throw new ScrapeException("auth", "cannot read " + what + " " + file + ": " + e.getMessage()
                        + "; check that the file exists and is readable by this process");
            }
        }
    }
}
