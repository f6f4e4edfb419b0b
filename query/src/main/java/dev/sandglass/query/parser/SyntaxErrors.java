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
        return at.error("unexpected " + describe(offending) + where(recognizer, offending));
    }

    /**
     * Where the parser was and what would have fitted, in Prometheus's words: " in label matching,
     * expected string", " in grouping opts, expected label", or "" inside a plain expression.
     */
    private String where(org.antlr.v4.runtime.Parser recognizer, Token offending) {
        for (RuleContext c = recognizer.getContext(); c != null; c = c.parent) {
            if (c instanceof PromQL.LabelMatchersContext || c instanceof PromQL.LabelMatcherContext) {
                return " in label matching, expected " + expectedInLabelMatching(offending);
            }
            if (c instanceof PromQL.GroupingLabelsContext || c instanceof PromQL.LabelNameContext) {
                return " in grouping opts, expected "
                        + (recognizer.getExpectedTokens().contains(PromQLLexer.LEFT_PAREN) ? "\"(\"" : "label");
            }
            if (c instanceof PromQL.AggregationContext) {
                return " in aggregation";
            }
            if (c instanceof PromQL.AtValueContext || c instanceof PromQL.AtExprContext) {
                return " in @, expected timestamp";
            }
            if (c instanceof PromQL.OffsetExprContext) {
                return " in offset, expected duration";
            }
            if (c instanceof PromQL.MatrixExprContext || c instanceof PromQL.SubqueryExprContext) {
                return " in subquery or range";
            }
            if (c instanceof PromQL.ExprContext) {
                return "";
            }
        }
        return "";
    }

    /** Inside braces the token before the bad one says what was due. */
    private String expectedInLabelMatching(Token offending) {
        int before = offending.getTokenIndex() > 0 ? tokens.get(offending.getTokenIndex() - 1).getType() : -1;
        return switch (before) {
            case PromQLLexer.IDENTIFIER -> "label matching operator";
            case PromQLLexer.EQL, PromQLLexer.NEQ, PromQLLexer.EQL_REGEX, PromQLLexer.NEQ_REGEX -> "string";
            case PromQLLexer.STRING -> "\",\" or \"}\"";
            default -> "identifier or \"}\"";
        };
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
                                : "unexpected end of input: unclosed " + name(o.getType()) + opened);
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

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
