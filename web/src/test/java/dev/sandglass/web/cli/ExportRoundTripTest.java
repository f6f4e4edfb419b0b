package dev.sandglass.web.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.Querier;
import dev.sandglass.storage.api.Series;
import dev.sandglass.storage.api.Values;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sandglass export} read by the real promtool (create-blocks-from openmetrics, then dump)
 * and by {@code sandglass import}: every sample comes back with the same timestamp and float64 bits.
 */
class ExportRoundTripTest {
    static final double[] VALUES = {0.1 + 0.2, 1e-300, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.234567e6,
        123456789012345678.0, 5e-324, -7.25, 42, Double.MAX_VALUE, 1e21, 0.00001};

    /** Series key as promtool prints labels (Go's quoting; fine for these ASCII values) -> "ts bits" lines. */
    static TreeMap<String, List<String>> stored(Path dir) {
        TreeMap<String, List<String>> out = new TreeMap<>();
        try (Db db = Db.open(DbOptions.defaults(dir).asReadOnly()); Querier q = db.querier(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2)) {
            for (Series s : q.select(List.of(new Matcher(Matcher.Type.RE, "__name__", ".+")))) {
                List<String> samples = new java.util.ArrayList<>();
                for (int i = 0; i < s.samples().size(); i++) {
                    double v = s.samples().value(i);
                    if (!Values.isStaleNaN(v)) {
                        samples.add(s.samples().timestamp(i) + " " + Long.toHexString(Double.doubleToRawLongBits(v)));
                    }
                }
                out.put(goLabels(s.labels()), samples);
            }
        }
        return out;
    }

    static String goLabels(Labels l) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < l.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(l.name(i)).append("=\"")
                    .append(l.value(i).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        }
        return sb.append('}').toString();
    }

    static int exec(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(Path.of(cmd[0]).getFileName() + "-" + cmd[2] + ".out").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in 60 s");
        }
        return p.exitValue();
    }

    static String lastErr = "";

    static int sandglass(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        synchronized (ExportRoundTripTest.class) {
            try {
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                return Main.run(args);
            } finally {
                System.setErr(old);
                lastErr = err.toString(StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void promtoolAndImportLoadEverySampleBitForBit(@TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("src");
        long t0 = (System.currentTimeMillis() - 3 * 3600_000L) / 1000 * 1000 + 1;
        try (Db db = Db.open(DbOptions.defaults(src))) {
            Appender a = db.appender();
            long odd = a.seriesRef(Labels.of("__name__", "odd_values", "sandbox_name", "web \"1\"\\x\nz", "job", "j"));
            for (int i = 0; i < VALUES.length; i++) {
                a.append(odd, t0 + i * 15_001L, VALUES[i]);
            }
            a.append(odd, t0 + VALUES.length * 15_001L, Values.STALE_NAN);
            for (int s = 0; s < 20; s++) {
                long ref = a.seriesRef(Labels.of("__name__", s % 2 == 0 ? "microsandbox_memory_usage_bytes" : "aaa_first_total",
                        "sandbox_name", "sbx-" + s));
                for (int i = 0; i < 500; i++) {
                    a.append(ref, t0 + i * 1000L + s, s * 1e6 + i * 0.5);
                }
            }
            a.commit();
        }
        TreeMap<String, List<String>> want = stored(src);
        Path om = tmp.resolve("export.om");
        assertEquals(0, sandglass("export", "--data-dir", src.toString(), "--output", om.toString()), () -> lastErr);
        String text = Files.readString(om);
        assertTrue(text.endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
        assertTrue(text.contains("odd_values{job=\"j\",sandbox_name=\"web \\\"1\\\"\\\\x\\nz\"} 1.234567e+06 "), text.substring(0, 600));

        // promtool loads it and dumps the very same samples.
        Path prom = tmp.resolve("prom");
        assertEquals(0, exec(tmp, "/usr/bin/promtool", "tsdb", "create-blocks-from", "openmetrics", om.toString(), prom.toString()),
                () -> readQuietly(tmp.resolve("promtool-create-blocks-from.out")));
        Files.createDirectories(prom.resolve("wal")); // dump opens the directory as a TSDB, which has one
        assertEquals(0, exec(tmp, "/usr/bin/promtool", "tsdb", "dump", prom.toString()), () -> readQuietly(tmp.resolve("promtool-dump.out")));
        TreeMap<String, List<String>> dumped = new TreeMap<>();
        for (String line : Files.readAllLines(tmp.resolve("promtool-dump.out"))) {
            if (!line.startsWith("{")) {
                continue;
            }
            int lastSpace = line.lastIndexOf(' ');
            int valueSpace = line.lastIndexOf(' ', lastSpace - 1);
            double v = Double.parseDouble(line.substring(valueSpace + 1, lastSpace).replace("+Inf", "Infinity").replace("-Inf", "-Infinity"));
            dumped.computeIfAbsent(line.substring(0, valueSpace), k -> new java.util.ArrayList<>())
                    .add(line.substring(lastSpace + 1) + " " + Long.toHexString(Double.doubleToRawLongBits(v)));
        }
        dumped.values().forEach(l -> l.sort(java.util.Comparator.comparingLong(x -> Long.parseLong(x.split(" ")[0]))));
        assertEquals(want, dumped);

        // sandglass import rebuilds the same store.
        Path back = tmp.resolve("back");
        assertEquals(0, sandglass("import", om.toString(), "--data-dir", back.toString(), "--retention", "100y"), () -> lastErr);
        assertEquals(want, stored(back));
    }

    static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
