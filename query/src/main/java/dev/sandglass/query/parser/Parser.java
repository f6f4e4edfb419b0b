package dev.sandglass.query.parser;

import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.engine.PromQLException;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;

/**
 * PromQL text to a type-checked AST, as Prometheus 2.42's parser.ParseExpr. Three passes: the
 * ANTLR grammar, {@link AstBuilder} (values, modifiers, placement rules), {@link TypeChecker}.
 *
 * <p>A vector selector written with a name gets a {@code __name__="name"} matcher first in its
 * matcher list, followed by the braces' matchers in written order.
 */
public final class Parser {
    private Parser() {
    }

    /** Stack for queries too deep for the caller's thread (long operator chains nest as deep as they are long). */
    private static final long DEEP_STACK_BYTES = 512L << 20;

    /** @throws PromQLException.ParseException with Prometheus's {@code line:col: parse error: ...} */
    public static Expr parse(String query) {
        try {
            return parseOnThisThread(query);
        } catch (StackOverflowError e) {
            return parseOnDeepStack(query);
        }
    }

    private static Expr parseOnDeepStack(String query) {
        Expr[] result = new Expr[1];
        RuntimeException[] failure = new RuntimeException[1];
        Thread t = new Thread(null, () -> {
            try {
                result[0] = parseOnThisThread(query);
            } catch (RuntimeException e) {
                failure[0] = e;
            } catch (StackOverflowError e) {
                failure[0] = new PromQLException.ParseException(1, 1,
                        "expression nested too deeply to parse (" + query.length() + " characters)");
            }
        }, "promql-parse-deep", DEEP_STACK_BYTES);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PromQLException.CanceledException("interrupted while parsing the query");
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return result[0];
    }

    private static Expr parseOnThisThread(String query) {
        PromQLLexer lexer = new PromQLLexer(CharStreams.fromString(query));
        lexer.removeErrorListeners();
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        if (tokens.get(0).getType() == Token.EOF) {
            throw new PromQLException.ParseException(1, 1, "no expression found in input");
        }
        PromQL parser = new PromQL(tokens);
        parser.removeErrorListeners();
        parser.setErrorHandler(new SyntaxErrors(tokens.getTokens()));
        PromQL.QueryContext tree = parser.query();
        SourceMap source = new SourceMap();
        Expr expr = new AstBuilder(source).visit(tree.expr());
        new TypeChecker(source).check(expr);
        return expr;
    }
}
