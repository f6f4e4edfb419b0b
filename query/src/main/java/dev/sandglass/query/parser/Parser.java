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

    /** @throws PromQLException.ParseException with Prometheus's {@code line:col: parse error: ...} */
    public static Expr parse(String query) {
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
