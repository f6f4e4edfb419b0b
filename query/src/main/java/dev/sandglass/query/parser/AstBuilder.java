package dev.sandglass.query.parser;

import dev.sandglass.query.ast.AggregateExpr;
import dev.sandglass.query.ast.AggregateOp;
import dev.sandglass.query.ast.AtModifier;
import dev.sandglass.query.ast.BinaryExpr;
import dev.sandglass.query.ast.BinaryOp;
import dev.sandglass.query.ast.Call;
import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.ast.MatrixSelector;
import dev.sandglass.query.ast.NumberLiteral;
import dev.sandglass.query.ast.ParenExpr;
import dev.sandglass.query.ast.StringLiteral;
import dev.sandglass.query.ast.SubqueryExpr;
import dev.sandglass.query.ast.UnaryExpr;
import dev.sandglass.query.ast.ValueType;
import dev.sandglass.query.ast.VectorMatching;
import dev.sandglass.query.ast.VectorSelector;
import dev.sandglass.query.engine.PromQLException.ParseException;
import dev.sandglass.query.parser.antlr.PromQLBaseVisitor;
import dev.sandglass.query.parser.antlr.PromQLParser;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Builds our AST from ANTLR's parse tree, applying the structural rules Prometheus applies while
 * parsing (where offset, @ and ranges may stand; literal syntax). Types are checked afterwards by
 * {@link TypeChecker}, which gets the start position of every node from {@link #positions()}.
 */
final class AstBuilder extends PromQLBaseVisitor<Expr> {
    private final Map<Expr, Pos> positions = new IdentityHashMap<>();
    private final Map<Expr, Pos> operatorPositions = new IdentityHashMap<>();

    Map<Expr, Pos> positions() {
        return positions;
    }

    Map<Expr, Pos> operatorPositions() {
        return operatorPositions;
    }

    private <T extends Expr> T at(T e, ParserRuleContext ctx) {
        positions.put(e, Pos.of(ctx.getStart()));
        return e;
    }

    private <T extends Expr> T at(T e, Pos p) {
        positions.put(e, p);
        return e;
    }

    private Pos pos(Expr e) {
        return positions.getOrDefault(e, new Pos(1, 1));
    }

    static ParseException error(Token t, String detail) {
        return new ParseException(t.getLine(), t.getCharPositionInLine() + 1, detail);
    }

    static ParseException error(Pos p, String detail) {
        return new ParseException(p.line(), p.column(), detail);
    }

    @Override
    public Expr visitExpression(PromQLParser.ExpressionContext ctx) {
        return visit(ctx.expr());
    }

    @Override
    public Expr visitPrimaryExpr(PromQLParser.PrimaryExprContext ctx) {
        return visit(ctx.primary());
    }

    @Override
    public Expr visitParens(PromQLParser.ParensContext ctx) {
        return at(new ParenExpr(visit(ctx.expr())), ctx);
    }

    @Override
    public Expr visitNumberLiteral(PromQLParser.NumberLiteralContext ctx) {
        return at(new NumberLiteral(number(ctx.NUMBER().getSymbol())), ctx);
    }

    @Override
    public Expr visitStringLiteral(PromQLParser.StringLiteralContext ctx) {
        return at(new StringLiteral(unquote(ctx.STRING().getSymbol())), ctx);
    }

    @Override
    public Expr visitVectorSelector(PromQLParser.VectorSelectorContext ctx) {
        List<Matcher> matchers = new ArrayList<>();
        if (ctx.labelMatchers() != null) {
            for (PromQLParser.LabelMatcherContext m : ctx.labelMatchers().labelMatcher()) {
                matchers.add(matcher(m));
            }
        }
        String name = null;
        if (ctx.metricName() != null) {
            name = ctx.metricName().getText();
            // Prometheus appends the matcher for a name written outside the braces.
            matchers.add(Matcher.eq(Labels.METRIC_NAME, name));
        }
        return at(new VectorSelector(name, List.copyOf(matchers), 0, null), ctx);
    }

    private Matcher matcher(PromQLParser.LabelMatcherContext m) {
        String name = labelName(m.labelName());
        Token op = (Token) m.getChild(1).getPayload();
        Matcher.Type type = switch (op.getType()) {
            case PromQLParser.EQL -> Matcher.Type.EQ;
            case PromQLParser.NEQ -> Matcher.Type.NEQ;
            case PromQLParser.EQL_REGEX -> Matcher.Type.RE;
            default -> Matcher.Type.NRE;
        };
        String value = unquote(m.STRING().getSymbol());
        try {
            return new Matcher(type, name, value);
        } catch (IllegalArgumentException e) {
            throw error(m.getStart(), e.getMessage());
        }
    }

    private static String labelName(PromQLParser.LabelNameContext ctx) {
        Token t = ctx.getStart();
        if (t.getType() == PromQLParser.NUMBER) {
            String lower = t.getText().toLowerCase(Locale.ROOT);
            if (!lower.equals("inf") && !lower.equals("nan")) {
                throw error(t, "unexpected number \"" + t.getText() + "\", expected a label name");
            }
        }
        return t.getText();
    }

    @Override
    public Expr visitFunctionCall(PromQLParser.FunctionCallContext ctx) {
        Token nameTok = ctx.IDENTIFIER().getSymbol();
        FunctionSignature sig = Functions.get(nameTok.getText());
        if (sig == null) {
            throw error(nameTok, "unknown function with name \"" + nameTok.getText() + "\"");
        }
        return at(new Call(sig.name(), args(ctx.functionArgs()), sig.returnType()), ctx);
    }

    private List<Expr> args(PromQLParser.FunctionArgsContext ctx) {
        List<Expr> out = new ArrayList<>();
        for (PromQLParser.ExprContext e : ctx.expr()) {
            out.add(visit(e));
        }
        return out;
    }

    @Override
    public Expr visitAggregation(PromQLParser.AggregationContext ctx) {
        AggregateOp op = AggregateOp.valueOf(ctx.aggregateOp().getText().toUpperCase(Locale.ROOT));
        List<Expr> args = args(ctx.functionArgs());
        List<String> grouping = List.of();
        boolean without = false;
        if (ctx.groupingModifier() != null) {
            without = ctx.groupingModifier().WITHOUT() != null;
            grouping = groupingLabels(ctx.groupingModifier().groupingLabels());
        }
        Pos p = Pos.of(ctx.getStart());
        if (args.isEmpty()) {
            throw error(p, "no arguments for aggregate expression provided");
        }
        int want = op.takesParameter() ? 2 : 1;
        if (args.size() != want) {
            throw error(p, "wrong number of arguments for aggregate expression provided, expected " + want + ", got " + args.size());
        }
        Expr param = op.takesParameter() ? args.get(0) : null;
        return at(new AggregateExpr(op, args.get(want - 1), param, grouping, without), p);
    }

    private static List<String> groupingLabels(PromQLParser.GroupingLabelsContext ctx) {
        List<String> out = new ArrayList<>();
        for (PromQLParser.LabelNameContext l : ctx.labelName()) {
            out.add(labelName(l));
        }
        return List.copyOf(out);
    }

    @Override
    public Expr visitUnaryExpr(PromQLParser.UnaryExprContext ctx) {
        boolean negate = ctx.SUB() != null;
        Expr operand = visit(ctx.expr());
        if (operand instanceof NumberLiteral n) {
            // Prometheus folds a sign into a number literal.
            return at(new NumberLiteral(negate ? -n.value() : n.value()), ctx);
        }
        return at(new UnaryExpr(negate, operand), ctx);
    }

    @Override
    public Expr visitBinaryExpr(PromQLParser.BinaryExprContext ctx) {
        Expr lhs = visit(ctx.expr(0));
        Expr rhs = visit(ctx.expr(1));
        Token opTok = (Token) ctx.getChild(1).getPayload();
        BinaryOp op = binaryOp(opTok);
        PromQLParser.BinModifiersContext mods = ctx.binModifiers();
        boolean returnBool = mods.BOOL() != null;
        boolean on = mods.ON() != null;
        List<String> matching = mods.groupingLabels().isEmpty() ? List.of() : groupingLabels(mods.groupingLabels(0));
        List<String> include = mods.groupingLabels().size() > 1 ? groupingLabels(mods.groupingLabels(1)) : List.of();
        VectorMatching.Cardinality card = mods.GROUP_LEFT() != null ? VectorMatching.Cardinality.MANY_TO_ONE
                : mods.GROUP_RIGHT() != null ? VectorMatching.Cardinality.ONE_TO_MANY
                : VectorMatching.Cardinality.ONE_TO_ONE;
        Pos opPos = Pos.of(opTok);
        boolean bothVectors = lhs.type() == ValueType.VECTOR && rhs.type() == ValueType.VECTOR;
        VectorMatching vm = null;
        if (bothVectors) {
            if (op.isSetOperator() && card == VectorMatching.Cardinality.ONE_TO_ONE) {
                card = VectorMatching.Cardinality.MANY_TO_MANY;
            }
            vm = new VectorMatching(card, matching, on, include);
        } else if (!matching.isEmpty()) {
            throw error(pos(lhs), "vector matching only allowed between instant vectors");
        }
        if (on) {
            for (String l : matching) {
                if (include.contains(l)) {
                    throw error(opPos, "label \"" + l + "\" must not occur in ON and GROUP clause at once");
                }
            }
        }
        if (bothVectors && op.isSetOperator() && card != VectorMatching.Cardinality.MANY_TO_MANY) {
            throw error(pos(lhs), "no grouping allowed for \"" + op.symbol() + "\" operation");
        }
        BinaryExpr b = at(new BinaryExpr(op, lhs, rhs, vm, returnBool), pos(lhs));
        operatorPositions.put(b, opPos);
        return b;
    }

    private static BinaryOp binaryOp(Token t) {
        return switch (t.getType()) {
            case PromQLParser.ADD -> BinaryOp.ADD;
            case PromQLParser.SUB -> BinaryOp.SUB;
            case PromQLParser.MUL -> BinaryOp.MUL;
            case PromQLParser.DIV -> BinaryOp.DIV;
            case PromQLParser.MOD -> BinaryOp.MOD;
            case PromQLParser.POW -> BinaryOp.POW;
            case PromQLParser.ATAN2 -> BinaryOp.ATAN2;
            case PromQLParser.EQLC -> BinaryOp.EQL;
            case PromQLParser.NEQ -> BinaryOp.NEQ;
            case PromQLParser.GTR -> BinaryOp.GTR;
            case PromQLParser.LSS -> BinaryOp.LSS;
            case PromQLParser.GTE -> BinaryOp.GTE;
            case PromQLParser.LTE -> BinaryOp.LTE;
            case PromQLParser.LAND -> BinaryOp.AND;
            case PromQLParser.LOR -> BinaryOp.OR;
            case PromQLParser.LUNLESS -> BinaryOp.UNLESS;
            default -> throw error(t, "unexpected operator \"" + t.getText() + "\"");
        };
    }

    @Override
    public Expr visitMatrixExpr(PromQLParser.MatrixExprContext ctx) {
        Expr inner = visit(ctx.expr());
        Token bracket = ctx.LEFT_BRACKET().getSymbol();
        if (!(inner instanceof VectorSelector vs)) {
            throw error(bracket, "ranges only allowed for vector selectors");
        }
        if (vs.offsetMs() != 0) {
            throw error(bracket, "no offset modifiers allowed before range");
        }
        if (vs.at() != null) {
            throw error(bracket, "no @ modifiers allowed before range");
        }
        return at(new MatrixSelector(vs, duration(ctx.DURATION().getSymbol())), pos(inner));
    }

    @Override
    public Expr visitSubqueryExpr(PromQLParser.SubqueryExprContext ctx) {
        Expr inner = visit(ctx.expr());
        long range = duration(ctx.DURATION(0).getSymbol());
        long step = ctx.DURATION().size() > 1 ? duration(ctx.DURATION(1).getSymbol()) : 0;
        return at(new SubqueryExpr(inner, range, step, 0, null), pos(inner));
    }

    @Override
    public Expr visitOffsetExpr(PromQLParser.OffsetExprContext ctx) {
        Expr inner = visit(ctx.expr());
        long off = duration(ctx.DURATION().getSymbol());
        if (ctx.SUB() != null) {
            off = -off;
        }
        Token kw = ctx.OFFSET().getSymbol();
        Expr out;
        if (inner instanceof VectorSelector vs) {
            checkNoOffset(vs.offsetMs(), kw);
            out = new VectorSelector(vs.name(), vs.matchers(), off, vs.at());
        } else if (inner instanceof MatrixSelector ms) {
            VectorSelector vs = ms.vector();
            checkNoOffset(vs.offsetMs(), kw);
            out = new MatrixSelector(new VectorSelector(vs.name(), vs.matchers(), off, vs.at()), ms.rangeMs());
        } else if (inner instanceof SubqueryExpr sq) {
            checkNoOffset(sq.offsetMs(), kw);
            out = new SubqueryExpr(sq.expr(), sq.rangeMs(), sq.stepMs(), off, sq.at());
        } else {
            throw error(kw, "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
        }
        return at(out, pos(inner));
    }

    private static void checkNoOffset(long existing, Token kw) {
        if (existing != 0) {
            throw error(kw, "offset may not be set multiple times");
        }
    }

    @Override
    public Expr visitAtExpr(PromQLParser.AtExprContext ctx) {
        Expr inner = visit(ctx.expr());
        Token atTok = ctx.AT().getSymbol();
        AtModifier at = atModifier(ctx.atValue(), atTok);
        Expr out;
        if (inner instanceof VectorSelector vs) {
            checkNoAt(vs.at(), atTok);
            out = new VectorSelector(vs.name(), vs.matchers(), vs.offsetMs(), at);
        } else if (inner instanceof MatrixSelector ms) {
            VectorSelector vs = ms.vector();
            checkNoAt(vs.at(), atTok);
            out = new MatrixSelector(new VectorSelector(vs.name(), vs.matchers(), vs.offsetMs(), at), ms.rangeMs());
        } else if (inner instanceof SubqueryExpr sq) {
            checkNoAt(sq.at(), atTok);
            out = new SubqueryExpr(sq.expr(), sq.rangeMs(), sq.stepMs(), sq.offsetMs(), at);
        } else {
            throw error(atTok, "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
        }
        return at(out, pos(inner));
    }

    private static void checkNoAt(AtModifier existing, Token atTok) {
        if (existing != null) {
            throw error(atTok, "@ <timestamp> may not be set multiple times");
        }
    }

    private static AtModifier atModifier(PromQLParser.AtValueContext ctx, Token atTok) {
        if (ctx.START() != null) {
            return new AtModifier(AtModifier.Kind.START, 0);
        }
        if (ctx.END() != null) {
            return new AtModifier(AtModifier.Kind.END, 0);
        }
        double seconds = number(ctx.NUMBER().getSymbol());
        if (ctx.SUB() != null) {
            seconds = -seconds;
        }
        if (Double.isNaN(seconds) || Double.isInfinite(seconds) || Math.abs(seconds * 1000) >= 9.2e18) {
            throw error(atTok, "timestamp out of bounds for @ modifier: " + seconds);
        }
        return AtModifier.at(Math.round(seconds * 1000));
    }

    /** Number literal as Prometheus reads it: an integer in Go's base-0 syntax first, else a float. */
    static double number(Token t) {
        String s = t.getText();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("inf")) {
            return Double.POSITIVE_INFINITY;
        }
        if (lower.equals("nan")) {
            return Double.NaN;
        }
        try {
            if (lower.startsWith("0x")) {
                return new BigInteger(s.substring(2), 16).doubleValue();
            }
            if (s.length() > 1 && s.charAt(0) == '0' && s.chars().allMatch(c -> c >= '0' && c <= '7')) {
                return Long.parseLong(s, 8);
            }
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw error(t, "error parsing number: \"" + s + "\"");
        }
    }

    private static long duration(Token t) {
        long ms;
        try {
            ms = Durations.parseMillis(t.getText());
        } catch (IllegalArgumentException e) {
            throw error(t, e.getMessage());
        }
        if (ms == 0) {
            throw error(t, "duration must be greater than 0");
        }
        return ms;
    }

    private static String unquote(Token t) {
        try {
            return Strings.unquote(t.getText());
        } catch (IllegalArgumentException e) {
            throw error(t, "error unquoting string " + t.getText() + ": " + e.getMessage());
        }
    }

    @Override
    protected Expr aggregateResult(Expr aggregate, Expr nextResult) {
        return nextResult != null ? nextResult : aggregate;
    }

    @Override
    public Expr visitTerminal(TerminalNode node) {
        return null;
    }
}
