package dev.sandglass.query.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.engine.Engine;
import dev.sandglass.query.engine.EngineOptions;
import dev.sandglass.query.engine.PromQLException;
import dev.sandglass.query.parser.Parser;
import dev.sandglass.query.promqltest.TestScript;
import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Prometheus's own PromQL tests (shared/promql-testdata, from v2.42.0) against this engine: one
 * dynamic test per eval, named file:line, loaded through the real Appender into a real store in
 * a temporary directory. Known failures are listed in known-failures.txt and reported as aborted
 * with their reason; the pass count of every file is printed at the end.
 */
class PromQLConformanceTest {
    /** The 2.42 harness's engine settings: lookback 5m, 10000 samples, 1m default subquery step. */
    private static final EngineOptions HARNESS = new EngineOptions(5 * 60_000L, 2 * 60_000L, 10_000, 60_000L);
    private static final Map<String, int[]> COUNTS = new TreeMap<>();

    private final Engine engine = new Engine(HARNESS);
    private final KnownFailures known = KnownFailures.load();

    /** The store each load goes into; the one line to change to run on another Storage. */
    private static Storage newStore() {
        try {
            Path dir = Files.createTempDirectory("sandglass-promqltest");
            dir.toFile().deleteOnExit();
            return Db.open(DbOptions.defaults(dir).withRetention(Long.MAX_VALUE / 4, 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestFactory
    Stream<DynamicNode> corpusFiles() {
        List<DynamicNode> out = new ArrayList<>();
        for (Path f : TestScript.corpusFiles()) {
            FileRun run = new FileRun(f);
            out.add(DynamicContainer.dynamicContainer(f.getFileName().toString(),
                    Stream.generate(run::next).takeWhile(n -> n != FileRun.END)));
        }
        return out.stream();
    }

    @AfterAll
    static void printCounts() {
        StringBuilder sb = new StringBuilder("promql conformance:");
        int pass = 0;
        int all = 0;
        for (var e : COUNTS.entrySet()) {
            sb.append(' ').append(e.getKey()).append(' ').append(e.getValue()[0]).append('/').append(e.getValue()[1]);
            pass += e.getValue()[0];
            all += e.getValue()[1];
        }
        sb.append(" | total ").append(pass).append('/').append(all);
        System.out.println(sb);
        System.err.println(sb);
    }

    /**
     * Walks one file's commands lazily: JUnit pulls the next dynamic test only after running the
     * previous one, so loads and clears between evals apply in file order.
     */
    private final class FileRun {
        static final DynamicNode END = DynamicTest.dynamicTest("end", () -> { });
        private final String file;
        private final Iterator<TestScript.Command> commands;
        private Storage store;

        FileRun(Path path) {
            this.file = path.getFileName().toString();
            this.commands = TestScript.read(path).commands().iterator();
            COUNTS.putIfAbsent(file, new int[2]);
        }

        DynamicNode next() {
            while (commands.hasNext()) {
                TestScript.Command c = commands.next();
                if (c instanceof TestScript.Clear) {
                    closeStore();
                } else if (c instanceof TestScript.Load load) {
                    if (store == null) {
                        store = newStore();
                    }
                    Appender app = store.appender();
                    for (TestScript.LoadSeries s : load.series()) {
                        long ref = app.seriesRef(s.labels());
                        for (TestScript.Point p : s.points()) {
                            app.append(ref, p.tMs(), p.value());
                        }
                    }
                    app.commit();
                } else if (c instanceof TestScript.Eval eval) {
                    if (store == null) {
                        store = newStore();
                    }
                    Storage current = store;
                    return DynamicTest.dynamicTest(file + ":" + eval.lineNumber(), () -> check(eval, current));
                }
            }
            closeStore();
            return END;
        }

        private void closeStore() {
            if (store != null) {
                store.close();
                store = null;
            }
        }

        private void check(TestScript.Eval eval, Storage current) {
            String id = file + ":" + eval.lineNumber();
            int[] counts = COUNTS.get(file);
            counts[1]++;
            boolean failExpected = eval.kind() == TestScript.Kind.FAIL;
            String err;
            try {
                Expr expr = Parser.parse(eval.expr());
                List<ResultCheck.Expected> expected = new ArrayList<>();
                for (TestScript.Expected e : eval.expected()) {
                    expected.add(new ResultCheck.Expected(e.labels(), e.value()));
                }
                err = EvalCheck.run(engine, current, expr, eval.timeMs(), failExpected,
                        eval.kind() == TestScript.Kind.ORDERED, expected);
            } catch (PromQLException.ParseException e) {
                err = failExpected ? null : "parse error: " + e.getMessage();
            } catch (RuntimeException e) {
                err = "crashed: " + e;
            }
            String reason = known.reason(id);
            if (err == null) {
                counts[0]++;
                if (reason != null) {
                    fail(id + " is listed in known-failures.txt (" + reason + ") but passes now: remove the line");
                }
                return;
            }
            if (reason != null) {
                Assumptions.abort("known failure: " + reason + " (now: " + err + ")");
            }
            fail(eval.expr() + ": " + err);
        }
    }
}
