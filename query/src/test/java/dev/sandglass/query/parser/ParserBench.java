package dev.sandglass.query.parser;

import dev.sandglass.query.promqltest.TestScript;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;

/**
 * Parse speed over every expression of the conformance corpus, beside a baseline measured in the
 * same run: lexing alone (the floor any ANTLR-based parse pays). Not a test; run as a main:
 * {@code java -cp <query classes, test classes, antlr4-runtime, storage classes> dev.sandglass.query.parser.ParserBench}.
 */
public final class ParserBench {
    private ParserBench() {
    }

    public static void main(String[] args) {
        List<String> queries = new ArrayList<>();
        for (var file : TestScript.corpusFiles()) {
            for (TestScript.Command c : TestScript.read(file).commands()) {
                if (c instanceof TestScript.Eval e && e.kind() != TestScript.Kind.FAIL) {
                    queries.add(e.expr());
                }
            }
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        for (int warm = 0; warm < 3; warm++) {
            measure(queries, rounds / 4, false);
            measure(queries, rounds / 4, true);
        }
        double lexNs = measure(queries, rounds, false);
        double parseNs = measure(queries, rounds, true);
        System.out.printf("%d corpus queries x %d rounds%n", queries.size(), rounds);
        System.out.printf("baseline lex only : %8.2f us/query%n", lexNs / 1000);
        System.out.printf("Parser.parse      : %8.2f us/query (%.1fx the lexing)%n", parseNs / 1000, parseNs / lexNs);
    }

    private static double measure(List<String> queries, int rounds, boolean parse) {
        long sink = 0;
        long t0 = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            for (String q : queries) {
                if (parse) {
                    sink += Parser.parse(q).hashCode();
                } else {
                    CommonTokenStream ts = new CommonTokenStream(new PromQLLexer(CharStreams.fromString(q)));
                    ts.fill();
                    sink += ts.size();
                }
            }
        }
        long ns = System.nanoTime() - t0;
        if (sink == 42) {
            System.out.print("");
        }
        return (double) ns / ((long) rounds * queries.size());
    }
}
