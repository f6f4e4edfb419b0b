package dev.sandglass.query.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sandglass.query.engine.PromQLException;
import dev.sandglass.query.promqltest.TestScript;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every expression of the Prometheus 2.42 conformance corpus goes through the parser. */
class CorpusParseTest {
    @Test
    void everyEvalExpressionParses() {
        List<String> failures = new ArrayList<>();
        int evals = 0;
        int failEvals = 0;
        int failEvalsRejectedByParser = 0;
        for (Path file : TestScript.corpusFiles()) {
            for (TestScript.Command c : TestScript.read(file).commands()) {
                if (!(c instanceof TestScript.Eval e)) {
                    continue;
                }
                String where = file.getFileName() + ":" + e.lineNumber() + ": " + e.expr();
                if (e.kind() == TestScript.Kind.FAIL) {
                    failEvals++;
                    try {
                        Parser.parse(e.expr());
                    } catch (PromQLException.ParseException ex) {
                        failEvalsRejectedByParser++;
                        System.out.println("eval_fail rejected by the parser: " + where + " -> " + ex.getMessage());
                    }
                    continue;
                }
                evals++;
                try {
                    Parser.parse(e.expr());
                } catch (RuntimeException ex) {
                    failures.add(where + " -> " + ex);
                }
            }
        }
        System.out.println("corpus: " + evals + " eval/eval_ordered parsed; " + failEvals + " eval_fail, "
                + failEvalsRejectedByParser + " of them rejected by the parser, the rest left to evaluation");
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(559, evals);
    }
}
