package dev.sandglass.query.parser;

import dev.sandglass.query.engine.PromQLException.ParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.RuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Turns the first syntax error into a {@link ParseException} worded like Prometheus's
 * ("unexpected X in Y", "unclosed left parenthesis", "unterminated quoted string"), instead of
 * ANTLR's recovery and "mismatched input" messages. Lexical problems that come before the token
 * the parser stopped at win, as in Prometheus's lexer-driven parser.
 */
final class SyntaxErrors extends DefaultErrorStrategy {
    private final List<Token> tokens;

    SyntaxErrors(List<Token> tokens) {
        this.tokens = tokens;
    }

    @Override
    public void reportError(org.antlr.v4.runtime.Parser recognizer, RecognitionException e) {
        Token offending = e.getOffendingToken() != null ? e.getOffendingToken() : recognizer.getCurrentToken();
        throw unexpected(recognizer, offending);
    }

    @Override
    protected void reportUnwantedToken(org.antlr.v4.runtime.Parser recognizer) {
        throw unexpected(recognizer, recognizer.getCurrentToken());
    }

    @Override
    protected void reportMissingToken(org.antlr.v4.runtime.Parser recognizer) {
        throw unexpected(recognizer, recognizer.getCurrentToken());
    }

    @Override
    public Token recoverInline(org.antlr.v4.runtime.Parser recognizer) {
        throw unexpected(recognizer, new InputMismatchException(recognizer).getOffendingToken());
    }

    @Override
    public void recover(org.antlr.v4.runtime.Parser recognizer, RecognitionException e) {
        throw unexpected(recognizer, e.getOffendingToken());
    }

    private ParseException unexpected(org.antlr.v4.runtime.Parser recognizer, Token offending) {
        ParseException lexical = lexicalErrorUpTo(offending);
        if (lexical != null) {
            return lexical;
        }
        SourceMap.Pos at = SourceMap.Pos.of(offending);
        if (offending.getType() == PromQLLexer.RIGHT_PAREN && offending.getTokenIndex() > 0
                && tokens.get(offending.getTokenIndex() - 1).getType() == PromQLLexer.COMMA) {
            // "(x,)" only fails in argument lists: grouping lists allow the trailing comma
            return SourceMap.Pos.of(tokens.get(offending.getTokenIndex() - 1))
                    .error("trailing commas not allowed in function call args");
        }
        String context = context(recognizer.getContext());
        String expected = expected(recognizer);
        return at.error("unexpected " + describe(offending) + (context.isEmpty() ? "" : " in " + context)
                + (expected.isEmpty() ? "" : ", expected " + expected));
    }

    /** What would have fitted, in the places where Prometheus says so. */
    private static String expected(org.antlr.v4.runtime.Parser recognizer) {
        RuleContext ctx = recognizer.getContext();
        if (ctx instanceof PromQL.GroupingLabelsContext || ctx instanceof PromQL.LabelNameContext) {
            return recognizer.getExpectedTokens().contains(PromQLLexer.LEFT_PAREN) ? "\"(\"" : "label";
        }
        if (ctx instanceof PromQL.AtValueContext || ctx instanceof PromQL.AtExprContext) {
            return "timestamp";
        }
        if (ctx instanceof PromQL.OffsetExprContext) {
            return "duration";
        }
        if (!(ctx instanceof PromQL.LabelMatchersContext || ctx instanceof PromQL.LabelMatcherContext)) {
            return "";
        }
        var want = recognizer.getExpectedTokens();
        if (want.contains(PromQLLexer.STRING)) {
            return "string";
        }
        if (want.contains(PromQLLexer.EQL)) {
            return "label matching operator";
        }
        if (want.contains(PromQLLexer.IDENTIFIER)) {
            return "identifier or \"}\"";
        }
        return "\",\" or \"}\"";
    }

    /** The first lexical problem at or before {@code stop}: a bad character, an open string, an unbalanced bracket. */
    private ParseException lexicalErrorUpTo(Token stop) {
        Deque<Token> open = new ArrayDeque<>();
        for (Token t : tokens) {
            switch (t.getType()) {
                case PromQLLexer.ERROR_CHAR -> {
                    return SourceMap.Pos.of(t).error("unexpected character " + quote(t.getText()));
                }
                case PromQLLexer.BAD_NUMBER -> {
                    return SourceMap.Pos.of(t).error("bad number or duration syntax: " + quote(t.getText()));
                }
                case PromQLLexer.UNTERMINATED_STRING -> {
                    return SourceMap.Pos.of(t).error(t.getText().startsWith("`") ? "unterminated raw string" : "unterminated quoted string");
                }
                case PromQLLexer.LEFT_PAREN, PromQLLexer.LEFT_BRACE, PromQLLexer.LEFT_BRACKET -> open.push(t);
                case PromQLLexer.RIGHT_PAREN, PromQLLexer.RIGHT_BRACE, PromQLLexer.RIGHT_BRACKET -> {
                    if (open.isEmpty() || open.peek().getType() != opener(t.getType())) {
                        return SourceMap.Pos.of(t).error("unexpected " + describe(t));
                    }
                    open.pop();
                }
                case Token.EOF -> {
                    if (!open.isEmpty()) {
                        Token o = open.peek();
                        String opened = " (opened at " + o.getLine() + ":" + (o.getCharPositionInLine() + 1) + ")";
                        return SourceMap.Pos.of(t).error(o.getType() == PromQLLexer.LEFT_BRACE
                                ? "unexpected end of input inside braces" + opened
                                : "unclosed " + name(o.getType()) + opened);
                    }
                }
                default -> {
                }
            }
            if (t.getTokenIndex() >= stop.getTokenIndex()) {
                return null;
            }
        }
        return null;
    }

    private static int opener(int closer) {
        return switch (closer) {
            case PromQLLexer.RIGHT_PAREN -> PromQLLexer.LEFT_PAREN;
            case PromQLLexer.RIGHT_BRACE -> PromQLLexer.LEFT_BRACE;
            default -> PromQLLexer.LEFT_BRACKET;
        };
    }

    private static String name(int type) {
        return switch (type) {
            case PromQLLexer.LEFT_PAREN -> "left parenthesis";
            case PromQLLexer.RIGHT_PAREN -> "right parenthesis";
            case PromQLLexer.LEFT_BRACE -> "left brace";
            case PromQLLexer.RIGHT_BRACE -> "right brace";
            case PromQLLexer.LEFT_BRACKET -> "left bracket";
            case PromQLLexer.RIGHT_BRACKET -> "right bracket";
            default -> "";
        };
    }

    /** How a token reads in a message: {@code identifier "foo"}, {@code end of input}, {@code right parenthesis ")"}. */
    static String describe(Token t) {
        String text = t.getText();
        return switch (t.getType()) {
            case Token.EOF -> "end of input";
            case PromQLLexer.IDENTIFIER -> "identifier " + quote(text);
            case PromQLLexer.METRIC_IDENTIFIER -> "metric identifier " + quote(text);
            case PromQLLexer.NUMBER -> "number " + quote(text);
            case PromQLLexer.DURATION -> "duration " + quote(text);
            case PromQLLexer.STRING -> "string " + text;
            case PromQLLexer.LEFT_PAREN, PromQLLexer.RIGHT_PAREN, PromQLLexer.LEFT_BRACE, PromQLLexer.RIGHT_BRACE,
                    PromQLLexer.LEFT_BRACKET, PromQLLexer.RIGHT_BRACKET -> name(t.getType()) + " " + quote(text);
            case PromQLLexer.COMMA -> "comma " + quote(text);
            case PromQLLexer.COLON -> "colon " + quote(text);
            default -> isWord(text) ? "keyword " + quote(text) : quote(text);
        };
    }

    private static boolean isWord(String s) {
        return !s.isEmpty() && Character.isLetter(s.charAt(0));
    }

    /** Where the parser was, in Prometheus's words ("label matching", "grouping opts", ...). */
    private static String context(RuleContext ctx) {
        for (RuleContext c = ctx; c != null; c = c.parent) {
            if (c instanceof PromQL.LabelMatchersContext || c instanceof PromQL.LabelMatcherContext) {
                return "label matching";
            }
            if (c instanceof PromQL.GroupingLabelsContext || c instanceof PromQL.LabelNameContext) {
                return "grouping opts";
            }
            if (c instanceof PromQL.AggregationContext) {
                return "aggregation";
            }
            if (c instanceof PromQL.FunctionArgsContext && c.parent instanceof PromQL.FunctionCallContext) {
                return "function call";
            }
            if (c instanceof PromQL.AtValueContext || c instanceof PromQL.AtExprContext) {
                return "@";
            }
            if (c instanceof PromQL.OffsetExprContext) {
                return "offset";
            }
            if (c instanceof PromQL.MatrixExprContext || c instanceof PromQL.SubqueryExprContext) {
                return "subquery or range";
            }
            if (c instanceof PromQL.ExprContext) {
                return "";
            }
        }
        return "";
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
