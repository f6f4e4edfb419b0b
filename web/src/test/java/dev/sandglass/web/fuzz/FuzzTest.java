package dev.sandglass.web.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.sandglass.ingest.bulk.ImportOptions;
import dev.sandglass.ingest.bulk.ImportSummary;
import dev.sandglass.ingest.bulk.ProgressListener;
import dev.sandglass.ingest.bulk.TextImporter;
import dev.sandglass.ingest.registry.RegistryException;
import dev.sandglass.ingest.registry.RegistryLocator;
import dev.sandglass.ingest.registry.RegistryReader;
import dev.sandglass.ingest.registry.RegistryWriter;
import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.mem.MemStorage;
import dev.sandglass.web.api.ApiHandlers;
import dev.sandglass.web.api.ApiServer;
import dev.sandglass.web.api.EngineQueryService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Bad input, fuzzed with jqwik through the real paths: PromQL and API parameters through the
 * real HTTP server and engine (random, mutated corpus expressions, deep nesting, huge literals,
 * invalid UTF-8), text import lines through the real importer, and registry bytes scribbled over
 * by a writer through the real reader. Never a 5xx caused by input (503 only as a timeout),
 * never a hang past the timeout, never a stack trace in an answer, always valid JSON; the
 * importer and reader reject with a reason instead of throwing anything else. Short in CI
 * (jqwik.tries.default in junit-platform.properties); longer on demand with
 * -Djqwik.tries.default=N. The number of inputs tried is printed.
 */
class FuzzTest {
    static MemStorage store;
    static ApiServer server;
    static HttpClient http;
    static List<String> corpus;
    static final AtomicLong QUERIES = new AtomicLong();
    static final AtomicLong PARAMS = new AtomicLong();
    static final AtomicLong LINES = new AtomicLong();
    static final AtomicLong REGISTRIES = new AtomicLong();

    @BeforeContainer
    static void start() throws Exception {
        store = new MemStorage();
        Appender a = store.appender();
        for (int i = 0; i < 5; i++) {
            long ref = a.seriesRef(Labels.of("__name__", "m", "i", Integer.toString(i), "job", "j"));
            for (int t = 0; t < 200; t++) {
                a.append(ref, t * 15_000L, t * (i + 1));
            }
        }
        a.commit();
        server = ApiServer.start("127.0.0.1", 0, new ApiHandlers(() -> store,
                new EngineQueryService(new EngineOptions(300_000, 2_000, 1_000_000, 60_000)),
                new ApiHandlers.Options(2_000, 4, "0", "x", "y"), List.of()));
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        corpus = new ArrayList<>();
        Path dir = corpusDir();
        if (dir != null) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".test"))::iterator) {
                    for (String line : Files.readAllLines(f)) {
                        String t = line.strip();
                        if (t.startsWith("eval")) {
                            int sp = t.indexOf(' ', t.indexOf(' ', 5) + 1);
                            if (sp > 0) {
                                corpus.add(t.substring(sp + 1));
                            }
                        }
                    }
                }
            }
        }
        if (corpus.isEmpty()) {
            corpus.add("rate(m[5m])");
        }
    }

    @AfterContainer
    static void stop() {
        server.close();
        System.out.println("fuzz: " + QUERIES.get() + " PromQL queries, " + PARAMS.get() + " parameter sets, " + LINES.get()
                + " import files, " + REGISTRIES.get() + " scribbled registries tried; corpus " + corpus.size() + " expressions");
    }

    static Path corpusDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared").resolve("promql-testdata");
            if (Files.isDirectory(c)) {
                return c;
            }
            Path s = p.resolveSibling("shared").resolve("promql-testdata");
            if (Files.isDirectory(s)) {
                return s;
            }
        }
        return null;
    }

    /** Sends a form POST (bytes as given, so invalid UTF-8 goes through) and checks the answer. */
    static void check(String form) throws Exception {
        check(form.getBytes(StandardCharsets.UTF_8));
    }

    static void check(byte[] form) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/query_range"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofByteArray(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String in = new String(form, StandardCharsets.UTF_8);
        String shown = in.length() > 300 ? in.substring(0, 300) + "..." : in;
        int s = r.statusCode();
        assertTrue(s == 200 || s == 400 || s == 422 || (s == 503 && r.body().contains("\"errorType\":\"timeout\"")),
                "status " + s + " for " + shown + ": " + r.body());
        assertTrue(!r.body().contains("\tat ") && !r.body().contains("Exception"), "a stack trace or exception name in " + r.body());
        try (JsonParser p = new JsonFactory().createParser(r.body())) {
            while (p.nextToken() != null) {
                // valid JSON to the end
            }
        }
        // Query timeout 2 s; the hang guard is generous because this machine is shared.
        assertTrue(ms < 45_000, "answered after " + ms + " ms: " + shown);
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<String> promql() {
        Arbitrary<String> names = Arbitraries.of("m", "m{i=\"1\"}", "m{job=~\"j|k\"}", "{__name__=~\".+\"}", "nosuch", "m offset 5m", "m @ 100");
        Arbitrary<String> ranges = Arbitraries.of("[1m]", "[5m]", "[0s]", "[1h:1m]", "[100y]", "[1ms]", "[5m:]");
        Arbitrary<String> fns = Arbitraries.of("rate", "irate", "increase", "delta", "avg_over_time", "max_over_time", "quantile_over_time(0.5,",
                "holt_winters(", "resets", "changes", "deriv", "predict_linear(", "absent_over_time", "stddev_over_time");
        Arbitrary<String> aggs = Arbitraries.of("sum", "avg", "max", "min", "count", "topk(3,", "bottomk(2,", "quantile(0.9,",
                "count_values(\"v\",", "stddev", "group", "topk(1e300,", "topk(NaN,", "topk(-1,");
        Arbitrary<String> ops = Arbitraries.of(" + ", " / ", " % ", " ^ ", " and ", " or ", " unless ", " > bool ", " == ", " * on(i) ",
                " / ignoring(job) group_left ");
        Arbitrary<String> literals = Arbitraries.of("1", "-0", "NaN", "Inf", "1e308", "1e-320", "0x1F", "9".repeat(400), "1e999999", "\"s\"", "time()");
        Arbitrary<String> leaf = Arbitraries.oneOf(names, literals,
                net.jqwik.api.Combinators.combine(fns, names, ranges).as((f, n, r) -> f.endsWith(",") || f.endsWith("(")
                        ? f.replace("(", "") + "(" + (f.endsWith(",") ? f.substring(f.indexOf('(') + 1) : "") + n + r + (f.startsWith("predict_linear") || f.startsWith("holt") ? ", 0.5" + (f.startsWith("holt") ? ", 0.5" : "") : "") + ")"
                        : f + "(" + n + r + ")"));
        Arbitrary<String> expr = net.jqwik.api.Combinators.combine(leaf, ops, leaf, aggs).as((a, o, b, g) ->
                (g.endsWith(",") ? g.substring(0, g.indexOf('(')) + "(" + g.substring(g.indexOf('(') + 1) : g + "(") + a + o + b + ")");
        Arbitrary<String> mutated = Arbitraries.of(corpus).flatMap(c -> Arbitraries.integers().between(0, Math.max(0, c.length())).flatMap(pos ->
                Arbitraries.of("", "(", ")", "[", "]", "{", "}", "\"", ",", "~", "@", "offset", " by (x)", "[5m]", "\\", "\u0000", "\uFFFF", "ä")
                        .map(ins -> c.substring(0, Math.min(pos, c.length())) + ins + c.substring(Math.min(pos + (ins.isEmpty() ? 1 : 0), c.length())))));
        Arbitrary<String> deep = Arbitraries.integers().between(1, 20_000).map(n -> "(".repeat(n) + "1" + ")".repeat(n));
        Arbitrary<String> deepFns = Arbitraries.integers().between(1, 5_000).map(n -> "abs(".repeat(n) + "m" + ")".repeat(n));
        Arbitrary<String> garbage = Arbitraries.strings().ofMaxLength(200);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, expr), net.jqwik.api.Tuple.of(4, mutated), net.jqwik.api.Tuple.of(1, deep),
                net.jqwik.api.Tuple.of(1, deepFns), net.jqwik.api.Tuple.of(2, garbage), net.jqwik.api.Tuple.of(2, Arbitraries.of(corpus)));
    }

    @Property
    void promqlNeverBreaksTheServer(@ForAll("promql") String q) throws Exception {
        QUERIES.incrementAndGet();
        check("query=" + enc(q) + "&start=0&end=3000&step=15&timeout=2s");
    }

    @Property(tries = 60)
    void invalidUtf8IsRefusedCleanly(@ForAll byte[] raw) throws Exception {
        QUERIES.incrementAndGet();
        StringBuilder pct = new StringBuilder("query=");
        for (byte b : raw) {
            pct.append('%').append(String.format("%02X", b & 0xff));
        }
        pct.append("&start=0&end=100&step=15");
        check(pct.toString().getBytes(StandardCharsets.US_ASCII));
    }

    @Provide
    Arbitrary<String> param() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40), Arbitraries.of("0", "-1", "1e300", "-9e15", "NaN", "Inf", "1d", "1y",
                "300y", "0.0001", "9223372036.854775807", "2262-04-11T23:47:16.855Z", "1_0", "", " ", "1e-9", "2015-07-01T20:10:51.781Z",
                "0x10", "5m", "-5m", "00000000000000000001", "1.0005"));
    }

    @Property
    void parametersNeverBreakTheServer(@ForAll("param") String start, @ForAll("param") String end, @ForAll("param") String step,
            @ForAll("param") String timeout) throws Exception {
        PARAMS.incrementAndGet();
        check("query=sum(rate(m[1m]))&start=" + enc(start) + "&end=" + enc(end) + "&step=" + enc(step) + "&timeout=" + enc(timeout));
    }

    @Provide
    Arbitrary<String> importLine() {
        Arbitrary<String> good = Arbitraries.of("m{a=\"b\"} 1 1000", "# TYPE m counter", "# HELP m help", "m 1", "m{} NaN 5",
                "m{a=\"b\",c=\"d\"} +Inf 1700000000000", "# EOF");
        Arbitrary<String> mutated = good.flatMap(g -> Arbitraries.integers().between(0, g.length()).flatMap(pos ->
                Arbitraries.of("", "{", "}", "\"", "=", " ", "\\", "\u0000", "ä", "1e999", "-", "\t", "#", "x".repeat(5000))
                        .map(ins -> g.substring(0, pos) + ins + g.substring(pos))));
        return Arbitraries.oneOf(good, mutated, Arbitraries.strings().ofMaxLength(120));
    }

    @Property(tries = 60)
    void importLinesAreStoredOrRejectedWithAReason(@ForAll List<@net.jqwik.api.From("importLine") String> lines) throws Exception {
        LINES.incrementAndGet();
        Path f = Files.createTempFile("sandglass-fuzz-", ".txt");
        try {
            Files.write(f, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
            MemStorage target = new MemStorage();
            ImportSummary s = new TextImporter(target, new ImportOptions(ImportOptions.Format.AUTO, Long.MIN_VALUE, 1))
                    .importFile(f, ProgressListener.NONE);
            for (var rej : s.firstRejections()) {
                assertTrue(rej.toString().length() > 0, "a rejection without a reason");
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Property(tries = 100)
    void scribbledRegistriesAreReadOrRefusedWithAReason(@ForAll List<@net.jqwik.api.constraints.IntRange(min = 0, max = 1 << 16) Integer> offsets,
            @ForAll byte fill) throws Exception {
        REGISTRIES.incrementAndGet();
        Path dir = Files.createTempDirectory("sandglass-fuzz-shm-");
        RegistryLocator locator = new RegistryLocator("/fuzz", "--msb-home", dir);
        try (RegistryWriter w = RegistryWriter.create(locator.path(), 8)) {
            for (int i = 0; i < 4; i++) {
                w.activate(i, i + 1, 1, 100 + i, 1000, "s" + i);
                RegistryWriter.Sample s = new RegistryWriter.Sample();
                s.sampledAt = 5000;
                w.writeSample(i, s);
            }
            var buf = w.buffer();
            for (int off : offsets) {
                if (off < buf.capacity()) {
                    buf.put(off, (byte) (fill ^ off));
                }
            }
            try {
                new RegistryReader(locator, 50).read();
            } catch (RegistryException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), "a refusal without a reason");
            }
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
