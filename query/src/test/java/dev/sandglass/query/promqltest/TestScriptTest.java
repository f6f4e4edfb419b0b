package dev.sandglass.query.promqltest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Values;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TestScriptTest {
    static Stream<Arguments> expansions() {
        return Stream.of(
                Arguments.of("0+10x3", Arrays.asList(0.0, 10.0, 20.0, 30.0)),
                Arguments.of("10-2x2", Arrays.asList(10.0, 8.0, 6.0)),
                Arguments.of("-1+1x2", Arrays.asList(-1.0, 0.0, 1.0)),
                Arguments.of("-1-1x1", Arrays.asList(-1.0, -2.0)),
                Arguments.of("5x2", Arrays.asList(5.0, 5.0, 5.0)),
                Arguments.of("1e3x1", Arrays.asList(1000.0, 1000.0)),
                Arguments.of("1e-1+1e-1x1", Arrays.asList(0.1, 0.2)),
                Arguments.of("_", Arrays.asList((Double) null)),
                Arguments.of("_x3", Arrays.asList(null, null, null)),
                Arguments.of("1 _ 2", Arrays.asList(1.0, null, 2.0)),
                Arguments.of("Inf -Inf NaN", Arrays.asList(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN)),
                Arguments.of("0x1f -2.5 .5", Arrays.asList(31.0, -2.5, 0.5)),
                Arguments.of("0x2", Arrays.asList(0.0, 0.0, 0.0)),
                Arguments.of("", List.of()));
    }

    @ParameterizedTest
    @MethodSource("expansions")
    void expandsValues(String desc, List<Double> want) {
        assertEquals(want, SeriesDescription.expand(desc), desc);
    }

    @Test
    void accumulatesStepsLikePrometheus() {
        // ten additions of 0.1 give 0.9999999999999999, where 10 * 0.1 would give 1.0
        List<Double> got = SeriesDescription.expand("0+0.1x10");
        double want = 0;
        for (int i = 0; i < 10; i++) {
            want += 0.1;
        }
        assertEquals(want, got.get(10));
        assertEquals(0.9999999999999999, got.get(10));
    }

    @Test
    void staleIsTheStalenessMarker() {
        List<Double> got = SeriesDescription.expand("1 stale");
        assertTrue(Values.isStaleNaN(got.get(1)));
    }

    @Test
    void rejectsGarbageValues() {
        assertThrows(IllegalArgumentException.class, () -> SeriesDescription.expand("1 foo"));
        assertThrows(IllegalArgumentException.class, () -> SeriesDescription.expand("1+x3"));
        assertThrows(IllegalArgumentException.class, () -> SeriesDescription.expand("1f"));
    }

    @Test
    void parsesLabelsWithEscapes() {
        SeriesDescription d = SeriesDescription.parse("foo:bar{a=\"x, y\", b='q\\'\\n', c=`raw\\`} 1");
        assertEquals(Labels.of("__name__", "foo:bar", "a", "x, y", "b", "q'\n", "c", "raw\\"), d.labels());
        assertEquals(List.of(1.0), d.values());
        assertEquals(Labels.of("job", "a"), SeriesDescription.parse("{job=\"a\"} 2").labels());
        assertEquals(Labels.of("__name__", "up"), SeriesDescription.parse("up 2").labels());
    }

    @Test
    void parsesAScript() {
        String script = String.join("\n",
                "# a comment",
                "load 5m",
                "  http_requests{job=\"api\", instance=\"0\"}\t0+10x2 _ stale",
                "  other 1",
                "",
                "eval instant at 10m sum(http_requests)",
                "  {} 20",
                "",
                "eval_ordered instant at 1h30m topk(1, http_requests)",
                "  http_requests{job=\"api\", instance=\"0\"} 20",
                "",
                "eval instant 1 + 1",
                "  2",
                "",
                "eval_fail instant at 0m foo(",
                "",
                "clear",
                "",
                "eval instant at 5m nothing",
                "");
        List<TestScript.Command> cmds = TestScript.parse("x.test", script).commands();
        assertEquals(7, cmds.size());
        TestScript.Load load = (TestScript.Load) cmds.get(0);
        assertEquals(300_000, load.stepMs());
        TestScript.LoadSeries s = load.series().get(0);
        assertEquals(Labels.of("__name__", "http_requests", "job", "api", "instance", "0"), s.labels());
        assertEquals(4, s.points().size());
        assertEquals(new TestScript.Point(600_000, 20), s.points().get(2));
        assertEquals(1_200_000, s.points().get(3).tMs());
        assertTrue(Values.isStaleNaN(s.points().get(3).value()));

        TestScript.Eval e = (TestScript.Eval) cmds.get(1);
        assertEquals(new TestScript.Eval(TestScript.Kind.INSTANT, 600_000, "sum(http_requests)",
                List.of(new TestScript.Expected(Labels.EMPTY, 20)), 6), e);
        TestScript.Eval ordered = (TestScript.Eval) cmds.get(2);
        assertEquals(TestScript.Kind.ORDERED, ordered.kind());
        assertEquals(5_400_000, ordered.timeMs());
        TestScript.Eval scalar = (TestScript.Eval) cmds.get(3);
        assertEquals(0, scalar.timeMs());
        assertEquals("1 + 1", scalar.expr());
        assertTrue(scalar.expected().get(0).isScalar());
        assertEquals(2.0, scalar.expected().get(0).value());
        assertEquals(TestScript.Kind.FAIL, ((TestScript.Eval) cmds.get(4)).kind());
        assertTrue(cmds.get(5) instanceof TestScript.Clear);
        assertEquals(List.of(), ((TestScript.Eval) cmds.get(6)).expected());
    }

    @Test
    void badLinesNameFileAndLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TestScript.parse("y.test", "load 5m\n  foo 1 bar\n"));
        assertTrue(e.getMessage().startsWith("y.test:2: "), e.getMessage());
    }

    @Test
    void corpusDirOverride(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        String before = System.getProperty("promql.testdata");
        try {
            System.setProperty("promql.testdata", tmp.toString());
            assertEquals(tmp, TestScript.corpusDir());
            System.setProperty("promql.testdata", tmp.resolve("missing").toString());
            assertThrows(IllegalStateException.class, TestScript::corpusDir);
        } finally {
            if (before == null) {
                System.clearProperty("promql.testdata");
            } else {
                System.setProperty("promql.testdata", before);
            }
        }
        assertTrue(TestScript.corpusDir().endsWith(java.nio.file.Path.of("shared", "promql-testdata")));
    }

    @Test
    void readsTheWholeCorpus() {
        int evals = 0;
        for (var file : TestScript.corpusFiles()) {
            for (TestScript.Command c : TestScript.read(file).commands()) {
                if (c instanceof TestScript.Eval) {
                    evals++;
                }
            }
        }
        // 566 eval lines in the 2.42 corpus (README's table counts them per file)
        assertEquals(566, evals);
    }
}
