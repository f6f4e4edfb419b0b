package dev.sandglass.web.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web UI's files, read once from the jar into memory. Only the files named in
 * {@code ui/ASSETS} (and uPlot's two from its WebJar) exist: a request path is looked up in this
 * map and never turned into a file or resource name, so nothing outside the assets can be served.
 */
public final class UiAssets {
    /** One servable file: its bytes, content type and a strong ETag of its content. */
    public record Asset(byte[] bytes, String contentType, String etag) {}

    static final String UPLOT_BASE = "META-INF/resources/webjars/uplot/";

    private final Map<String, Asset> byPath;

    private UiAssets(Map<String, Asset> byPath) {
        this.byPath = byPath;
    }

    /** Loads every listed asset; a listed file missing from the jar is a build defect, not a 404. */
    public static UiAssets load() {
        ClassLoader cl = UiAssets.class.getClassLoader();
        Map<String, Asset> m = new LinkedHashMap<>();
        String list = new String(read(cl, "ui/ASSETS"), StandardCharsets.UTF_8);
        for (String line : list.split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                m.put("/ui/" + name, asset(read(cl, "ui/" + name), name));
            }
        }
        String uplot = UPLOT_BASE + uplotVersion(cl) + "/dist/";
        m.put("/ui/vendor/uPlot.iife.min.js", asset(read(cl, uplot + "uPlot.iife.min.js"), "uPlot.iife.min.js"));
        m.put("/ui/vendor/uPlot.min.css", asset(read(cl, uplot + "uPlot.min.css"), "uPlot.min.css"));
        m.put("/", m.get("/ui/index.html"));
        return new UiAssets(Map.copyOf(m));
    }

    /** The asset at exactly this request path, or null. */
    public Asset get(String path) {
        return byPath.get(path);
    }

    public Iterable<String> paths() {
        return byPath.keySet();
    }

    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "json" -> "application/json";
            default -> throw new IllegalStateException("BUG: no content type for UI asset " + name);
        };
    }

    private static Asset asset(byte[] bytes, String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new Asset(bytes, contentType(name), "\"" + HexFormat.of().formatHex(h, 0, 12) + "\"");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("BUG: no SHA-256", e);
        }
    }

    /** The uPlot WebJar's version, from the Maven metadata it ships, so upgrading it is a pom edit. */
    private static String uplotVersion(ClassLoader cl) {
        String props = new String(read(cl, "META-INF/maven/org.webjars.npm/uplot/pom.properties"), StandardCharsets.UTF_8);
        for (String line : props.split("\n")) {
            if (line.startsWith("version=")) {
                return line.substring("version=".length()).strip();
            }
        }
        throw new IllegalStateException("BUG: the uPlot WebJar names no version");
    }

    private static byte[] read(ClassLoader cl, String resource) {
        try (InputStream in = cl.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("BUG: UI asset " + resource + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading UI asset " + resource, e);
        }
    }
}
