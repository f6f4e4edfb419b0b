package dev.sandglass.web.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * --web.config.file in the format Prometheus and its exporters read (prometheus/exporter-toolkit):
 * {@code tls_server_config} with {@code cert_file} and {@code key_file} (PEM; relative paths are
 * relative to the config file), and {@code basic_auth_users}, user name to bcrypt hash. Fields
 * of that format Sandglass does not implement are refused by name rather than ignored, so a
 * config that asks for client certificates never runs without them.
 */
public record WebConfig(Path certFile, Path keyFile, Map<String, String> users) {
    private static final Set<String> TOP = Set.of("tls_server_config", "http_server_config", "basic_auth_users");

    public WebConfig {
        users = Map.copyOf(users);
    }

    public boolean tls() {
        return certFile != null;
    }

    public static WebConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read web config " + file + ": " + e.getMessage());
        }
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("web config " + file + " is not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (root == null) {
            return new WebConfig(null, null, Map.of());
        }
        Map<String, Object> top = map(root, file, "the top level");
        for (String k : top.keySet()) {
            if (!TOP.contains(k)) {
                throw new IllegalArgumentException("web config " + file + ": unknown field \"" + k + "\" (known: " + String.join(", ", List.copyOf(new java.util.TreeSet<>(TOP))) + ")");
            }
        }
        Path cert = null;
        Path key = null;
        if (top.get("tls_server_config") != null) {
            Map<String, Object> tls = map(top.get("tls_server_config"), file, "tls_server_config");
            for (String k : tls.keySet()) {
                if (!k.equals("cert_file") && !k.equals("key_file")) {
                    throw new IllegalArgumentException("web config " + file + ": tls_server_config." + k + " is not supported by Sandglass (only cert_file and key_file)");
                }
            }
            cert = path(file, tls.get("cert_file"), "tls_server_config.cert_file");
            key = path(file, tls.get("key_file"), "tls_server_config.key_file");
        }
        if (top.get("http_server_config") != null) {
            Map<String, Object> http = map(top.get("http_server_config"), file, "http_server_config");
            if (!http.isEmpty()) {
                throw new IllegalArgumentException("web config " + file + ": http_server_config." + http.keySet().iterator().next()
                        + " is not supported by Sandglass");
            }
        }
        Map<String, String> users = new LinkedHashMap<>();
        if (top.get("basic_auth_users") != null) {
            for (var e : map(top.get("basic_auth_users"), file, "basic_auth_users").entrySet()) {
                String hash = String.valueOf(e.getValue());
                if (!hash.matches("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                    throw new IllegalArgumentException("web config " + file + ": basic_auth_users." + e.getKey()
                            + " is not a bcrypt hash (make one with: htpasswd -nBC 10 \"\" | tr -d ':\\n')");
                }
                users.put(e.getKey(), hash);
            }
        }
        return new WebConfig(cert, key, users);
    }

    private static Path path(Path file, Object value, String field) {
        if (value == null || String.valueOf(value).isBlank()) {
            throw new IllegalArgumentException("web config " + file + ": " + field + " is required when tls_server_config is given");
        }
        Path dir = file.toAbsolutePath().getParent();
        Path p = dir.resolve(String.valueOf(value));
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException("web config " + file + ": " + field + " " + p + " cannot be read");
        }
        return p;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, Path file, String where) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("web config " + file + ": " + where + " must be a mapping");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
