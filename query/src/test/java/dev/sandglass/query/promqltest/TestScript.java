package dev.sandglass.query.promqltest;

import dev.sandglass.query.parser.Durations;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Values;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus 2.42 PromQL {@code .test} script (format in shared/promql-testdata/README.md) read
 * into commands a conformance runner replays: {@link Load}, {@link Clear}, {@link Eval}.
 */
public final class TestScript {
    /** One command of a script. */
    public sealed interface Command permits Load, Clear, Eval {
    }

    /** {@code load <step>}: each series' i-th value slot is at {@code i * stepMs}. */
    public record Load(long stepMs, List<LoadSeries> series, int lineNumber) implements Command {
    }

    /** One loaded series; missing slots ({@code _}) are left out of {@code points}, stale markers are {@link Values#STALE_NAN}. */
    public record LoadSeries(Labels labels, List<Point> points) {
    }

    public record Point(long tMs, double value) {
    }

    public record Clear(int lineNumber) implements Command {
    }

    public enum Kind { INSTANT, ORDERED, FAIL }

    /** {@code eval[_ordered|_fail] instant [at <duration>] <expr>} with its expected elements. */
    public record Eval(Kind kind, long timeMs, String expr, List<Expected> expected, int lineNumber) implements Command {
    }

    /** An expected element: {@code labels} null for a scalar result. */
    public record Expected(Labels labels, double value) {
        public boolean isScalar() {
            return labels == null;
        }
    }

    private static final Pattern LOAD = Pattern.compile("^load\\s+(\\S+)$");
    private static final Pattern EVAL = Pattern.compile("^eval(?:_(fail|ordered))?\\s+instant\\s+(?:at\\s+(\\S+?)\\s+)?(.+)$");

    private final String name;
    private final List<Command> commands;

    private TestScript(String name, List<Command> commands) {
        this.name = name;
        this.commands = List.copyOf(commands);
    }

    public String name() {
        return name;
    }

    public List<Command> commands() {
        return commands;
    }

    public static TestScript read(Path file) {
        try {
            return parse(file.getFileName().toString(), Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("read test script " + file, e);
        }
    }

    /** @throws IllegalArgumentException naming {@code name:line} for a line that does not fit the format */
    public static TestScript parse(String name, String text) {
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            lines[i] = lines[i].trim();
            if (lines[i].startsWith("#")) {
                lines[i] = "";
            }
        }
        List<Command> out = new ArrayList<>();
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            int lineNumber = i + 1;
            i++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (line.equals("clear")) {
                    out.add(new Clear(lineNumber));
                    continue;
                }
                Matcher load = LOAD.matcher(line);
                Matcher eval = EVAL.matcher(line);
                List<String> block = new ArrayList<>();
                int blockStart = i;
                while (i < lines.length && !lines[i].isEmpty()) {
                    block.add(lines[i]);
                    i++;
                }
                if (load.matches()) {
                    out.add(load(Durations.parseMillis(load.group(1)), block, blockStart, name, lineNumber));
                } else if (eval.matches()) {
                    Kind kind = eval.group(1) == null ? Kind.INSTANT
                            : eval.group(1).equals("fail") ? Kind.FAIL : Kind.ORDERED;
                    long t = eval.group(2) == null ? 0 : Durations.parseMillis(eval.group(2));
                    List<Expected> expected = new ArrayList<>();
                    for (int k = 0; k < block.size(); k++) {
                        expected.add(expected(block.get(k), name, blockStart + k + 1));
                    }
                    out.add(new Eval(kind, t, eval.group(3), List.copyOf(expected), lineNumber));
                } else {
                    throw new IllegalArgumentException("unknown command " + quote(line));
                }
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(name + ":")) {
                    throw e;
                }
                throw new IllegalArgumentException(name + ":" + lineNumber + ": " + e.getMessage(), e);
            }
        }
        return new TestScript(name, out);
    }

    private static Load load(long stepMs, List<String> lines, int firstIndex, String name, int lineNumber) {
        List<LoadSeries> series = new ArrayList<>();
        for (int k = 0; k < lines.size(); k++) {
            try {
                SeriesDescription d = SeriesDescription.parse(lines.get(k));
                List<Point> points = new ArrayList<>();
                List<Double> values = d.values();
                for (int slot = 0; slot < values.size(); slot++) {
                    if (values.get(slot) != null) {
                        points.add(new Point(slot * stepMs, values.get(slot)));
                    }
                }
                series.add(new LoadSeries(d.labels(), List.copyOf(points)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ":" + (firstIndex + k + 1) + ": " + e.getMessage(), e);
            }
        }
        return new Load(stepMs, List.copyOf(series), lineNumber);
    }

    private static Expected expected(String line, String name, int lineNumber) {
        try {
            Double scalar = SeriesDescription.scalar(line);
            if (scalar != null) {
                return new Expected(null, scalar);
            }
            SeriesDescription d = SeriesDescription.parse(line);
            if (d.values().size() != 1 || d.values().get(0) == null) {
                throw new IllegalArgumentException("expected exactly one value for an instant result, got "
                        + quote(line));
            }
            return new Expected(d.labels(), d.values().get(0));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ":" + lineNumber + ": " + e.getMessage(), e);
        }
    }

    /**
     * The corpus folder: {@code -Dpromql.testdata=<dir>} if set, else the first
     * {@code shared/promql-testdata} found walking up from the working directory.
     */
    public static Path corpusDir() {
        String override = System.getProperty("promql.testdata");
        if (override != null && !override.isBlank()) {
            Path p = Paths.get(override);
            if (!Files.isDirectory(p)) {
                throw new IllegalStateException("-Dpromql.testdata=" + override + " is not a directory");
            }
            return p;
        }
        Path start = Paths.get("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("promql-testdata");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared/promql-testdata above " + start + "; set -Dpromql.testdata=<dir>");
    }

    /** Every {@code *.test} file of the corpus, sorted by name. */
    public static List<Path> corpusFiles() {
        try (var files = Files.list(corpusDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".test")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("list " + corpusDir(), e);
        }
    }

    static String quote(String s) {
        return "\"" + s + "\"";
    }
}
