package dev.sandglass.query.parser;

import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.engine.PromQLException.ParseException;
import dev.sandglass.query.parser.antlr.PromQLLexer;
import dev.sandglass.query.parser.antlr.PromQLParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/** Parses PromQL text into a type-checked {@link Expr}. Thread-safe (no shared state). */
public final class Parser {
    private Parser() {
    }

    /** @throws ParseException with {@code line:col: parse error: ...} for any syntax or type error */
    public static Expr parse(String query) {
        PromQLLexer lexer = new PromQLLexer(CharStreams.fromString(query));
        lexer.removeErrorListeners();
        PromQLParser parser = new PromQLParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(new Listener());
        PromQLParser.ExpressionContext tree = parser.expression();
        AstBuilder builder = new AstBuilder();
        Expr expr = builder.visit(tree);
        if (expr == null) {
            throw new ParseException(1, 1, "no expression found in input");
        }
        new TypeChecker(builder.positions(), builder.operatorPositions()).check(expr);
        return expr;
    }

    /** Turns ANTLR's syntax errors into Prometheus-style messages: what was unexpected, where, and what would fit. */
    private static final class Listener extends BaseErrorListener {
        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int col, String msg, RecognitionException e) {
            Token t = (Token) offendingSymbol;
            if (t == null) {
                throw new ParseException(line, col + 1, "unexpected input");
            }
            if (t.getType() == Token.EOF && ((PromQLParser) recognizer).getInputStream().size() <= 1) {
                throw new ParseException(line, col + 1, "no expression found in input");
            }
            StringBuilder sb = new StringBuilder("unexpected ").append(describe(t));
            String expected = expected(recognizer);
            if (expected != null) {
                sb.append(", expected ").append(expected);
            }
            throw new ParseException(line, col + 1, sb.toString());
        }

        private static String expected(Recognizer<?, ?> recognizer) {
            IntervalSet set;
            try {
                set = ((PromQLParser) recognizer).getExpectedTokens();
            } catch (RuntimeException ex) {
                return null;
            }
            List<Integer> types = set.toList();
            if (types.isEmpty() || types.size() > 4) {
                return null;
            }
            List<String> names = new ArrayList<>();
            for (int type : types) {
                names.add(tokenName(type));
            }
            return String.join(" or ", names);
        }
    }

    static String describe(Token t) {
        String text = t.getText();
        return switch (t.getType()) {
            case Token.EOF -> "end of input";
            case PromQLLexer.IDENTIFIER, PromQLLexer.METRIC_IDENTIFIER -> "identifier \"" + text + "\"";
            case PromQLLexer.NUMBER -> "number \"" + text + "\"";
            case PromQLLexer.DURATION -> "duration \"" + text + "\"";
            case PromQLLexer.STRING -> "string " + text;
            case PromQLLexer.ERROR_CHAR -> text.equals("\"") || text.equals("'") || text.equals("`")
                    ? "unterminated quoted string" : "character '" + text + "'";
            default -> "\"" + text + "\"";
        };
    }

    static String tokenName(int type) {
        return switch (type) {
            case Token.EOF -> "end of input";
            case PromQLLexer.IDENTIFIER -> "identifier";
            case PromQLLexer.METRIC_IDENTIFIER -> "metric name";
            case PromQLLexer.NUMBER -> "number";
            case PromQLLexer.DURATION -> "duration";
            case PromQLLexer.STRING -> "string";
            default -> {
                String lit = PromQLLexer.VOCABULARY.getLiteralName(type);
                yield lit != null ? lit.replace('\'', '"') : PromQLLexer.VOCABULARY.getSymbolicName(type).toLowerCase();
            }
        };
    }
}
