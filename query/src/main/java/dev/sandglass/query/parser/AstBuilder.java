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
import dev.sandglass.query.parser.SourceMap.Pos;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.antlr.v4.runtime.Token;

/**
 * Builds our AST from ANTLR's parse tree, doing what Prometheus does while it parses: literal
 * values, unary minus folded into number literals, offset and @ attached to the selector or
 * subquery they follow, matrix selectors only on plain vector selectors, known function names,
 * aggregation argument counts. Type rules are left to {@link TypeChecker}.
 */
final class AstBuilder extends PromQLBaseVisitor<Expr> {
    private static final String AT_PLACEMENT =
            "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery";
    private static final String OFFSET_PLACEMENT =
            "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery";

    private final SourceMap source;

    AstBuilder(SourceMap source) {
        this.source = source;
    }

    @Override
    public Expr visitNumberExpr(PromQL.NumberExprContext ctx) {
        return source.at(new NumberLiteral(number(ctx.NUMBER().getSymbol())), Pos.of(ctx.start));
    }

    @Override
    public Expr visitStringExpr(PromQL.StringExprContext ctx) {
        return source.at(new StringLiteral(string(ctx.STRING().getSymbol())), Pos.of(ctx.start));
    }

    @Override
    public Expr visitParenExpr(PromQL.ParenExprContext ctx) {
        return source.at(new ParenExpr(visit(ctx.expr())), Pos.of(ctx.start));
    }

    @Override
    public Expr visitUnaryExpr(PromQL.UnaryExprContext ctx) {
        Expr operand = visit(ctx.expr());
        boolean negate = ctx.op.getType() == PromQLLexer.SUB;
        Expr result = operand instanceof NumberLiteral n
                ? new NumberLiteral(negate ? -n.value() : n.value())
                : new UnaryExpr(negate, operand);
        return source.at(result, Pos.of(ctx.start));
    }

    @Override
    public Expr visitBinaryExpr(PromQL.BinaryExprContext ctx) {
        Expr lhs = visit(ctx.expr(0));
        Expr rhs = visit(ctx.expr(1));
        BinaryOp op = binaryOp(ctx.op);
        PromQL.BinModifierContext mod = ctx.binModifier();
        boolean on = mod.matchKind != null && mod.matchKind.getType() == PromQLLexer.ON;
        List<String> matching = mod.matchLabels != null ? labels(mod.matchLabels) : List.of();
        VectorMatching.Cardinality card = VectorMatching.Cardinality.ONE_TO_ONE;
        List<String> include = List.of();
        if (mod.groupKind != null) {
            card = mod.groupKind.getType() == PromQLLexer.GROUP_LEFT
                    ? VectorMatching.Cardinality.MANY_TO_ONE : VectorMatching.Cardinality.ONE_TO_MANY;
            include = mod.include != null ? labels(mod.include) : List.of();
        }
        VectorMatching matchingOut = null;
        if (lhs.type() == ValueType.VECTOR && rhs.type() == ValueType.VECTOR) {
            VectorMatching.Cardinality outCard = op.isSetOperator() && card == VectorMatching.Cardinality.ONE_TO_ONE
                    ? VectorMatching.Cardinality.MANY_TO_MANY : card;
            matchingOut = new VectorMatching(outCard, matching, on, include);
        }
        BinaryExpr node = new BinaryExpr(op, lhs, rhs, matchingOut, mod.BOOL() != null);
        source.binary(node, new SourceMap.BinaryModifiers(Pos.of(ctx.op), card, on, matching, include));
        return source.at(node, source.start(lhs));
    }

    @Override
    public Expr visitAggregationExpr(PromQL.AggregationExprContext ctx) {
        PromQL.AggregationContext agg = ctx.aggregation();
        AggregateOp op = AggregateOp.valueOf(agg.aggregateOp().getText().toUpperCase(Locale.ROOT));
        List<Expr> args = args(agg.functionArgs());
        int wanted = op.takesParameter() ? 2 : 1;
        Pos start = Pos.of(ctx.start);
        if (args.isEmpty()) {
            throw start.error("no arguments for aggregate expression provided");
        }
        if (args.size() != wanted) {
            throw start.error("wrong number of arguments for aggregate expression provided, expected "
                    + wanted + ", got " + args.size());
        }
        PromQL.GroupingContext grouping = agg.grouping();
        List<String> groupingLabels = grouping != null ? labels(grouping.groupingLabels()) : List.of();
        boolean without = grouping != null && grouping.WITHOUT() != null;
        Expr param = op.takesParameter() ? args.get(0) : null;
        return source.at(new AggregateExpr(op, args.get(wanted - 1), param, groupingLabels, without), start);
    }

    @Override
    public Expr visitCallExpr(PromQL.CallExprContext ctx) {
        Token name = ctx.functionCall().IDENTIFIER().getSymbol();
        FunctionSignature sig = Functions.get(name.getText());
        if (sig == null) {
            throw Pos.of(name).error("unknown function with name " + SyntaxErrors.quote(name.getText()));
        }
        return source.at(new Call(sig.name(), args(ctx.functionCall().functionArgs()), sig.returnType()), Pos.of(name));
    }

    @Override
    public Expr visitSelectorExpr(PromQL.SelectorExprContext ctx) {
        PromQL.VectorSelectorContext vs = ctx.vectorSelector();
        List<Matcher> matchers = new ArrayList<>();
        String name = null;
        if (vs.metricName() != null) {
            name = vs.metricName().getText();
            matchers.add(Matcher.eq(Labels.METRIC_NAME, name));
        }
        if (vs.labelMatchers() != null) {
            for (PromQL.LabelMatcherContext m : vs.labelMatchers().labelMatcher()) {
                matchers.add(matcher(m));
            }
        }
        return source.at(new VectorSelector(name, List.copyOf(matchers), 0, null), Pos.of(ctx.start));
    }

    @Override
    public Expr visitMatrixExpr(PromQL.MatrixExprContext ctx) {
        Expr inner = visit(ctx.expr());
        Pos bracket = Pos.of(ctx.LEFT_BRACKET().getSymbol());
        if (!(inner instanceof VectorSelector vs)) {
            throw bracket.error("ranges only allowed for vector selectors");
        }
        if (vs.offsetMs() != 0) {
            throw bracket.error("no offset modifiers allowed before range");
        }
        if (vs.at() != null) {
            throw bracket.error("no @ modifiers allowed before range");
        }
        return source.at(new MatrixSelector(vs, duration(ctx.range)), source.start(inner));
    }

    @Override
    public Expr visitSubqueryExpr(PromQL.SubqueryExprContext ctx) {
        Expr inner = visit(ctx.expr());
        long range = duration(ctx.range);
        long step = ctx.step != null ? duration(ctx.step) : 0;
        return source.at(new SubqueryExpr(inner, range, step, 0, null), source.start(inner));
    }

    @Override
    public Expr visitOffsetExpr(PromQL.OffsetExprContext ctx) {
        Expr inner = visit(ctx.expr());
        long offset = duration(ctx.DURATION().getSymbol());
        if (ctx.SUB() != null) {
            offset = -offset;
        }
        Pos start = source.start(inner);
        Expr result;
        if (inner instanceof VectorSelector vs) {
            checkOffsetUnset(vs.offsetMs(), start);
            result = new VectorSelector(vs.name(), vs.matchers(), offset, vs.at());
        } else if (inner instanceof MatrixSelector ms) {
            VectorSelector vs = ms.vector();
            checkOffsetUnset(vs.offsetMs(), start);
            result = new MatrixSelector(new VectorSelector(vs.name(), vs.matchers(), offset, vs.at()), ms.rangeMs());
        } else if (inner instanceof SubqueryExpr sq) {
            checkOffsetUnset(sq.offsetMs(), start);
            result = new SubqueryExpr(sq.expr(), sq.rangeMs(), sq.stepMs(), offset, sq.at());
        } else {
            throw start.error(OFFSET_PLACEMENT);
        }
        return source.at(result, start);
    }

    @Override
    public Expr visitAtExpr(PromQL.AtExprContext ctx) {
        Expr inner = visit(ctx.expr());
        Pos start = source.start(inner);
        AtModifier at = atModifier(ctx.atValue(), start);
        Expr result;
        if (inner instanceof VectorSelector vs) {
            checkAtUnset(vs.at(), start);
            result = new VectorSelector(vs.name(), vs.matchers(), vs.offsetMs(), at);
        } else if (inner instanceof MatrixSelector ms) {
            VectorSelector vs = ms.vector();
            checkAtUnset(vs.at(), start);
            result = new MatrixSelector(new VectorSelector(vs.name(), vs.matchers(), vs.offsetMs(), at), ms.rangeMs());
        } else if (inner instanceof SubqueryExpr sq) {
            checkAtUnset(sq.at(), start);
            result = new SubqueryExpr(sq.expr(), sq.rangeMs(), sq.stepMs(), sq.offsetMs(), at);
        } else {
            throw start.error(AT_PLACEMENT);
        }
        return source.at(result, start);
    }

    private static void checkOffsetUnset(long offsetMs, Pos start) {
        if (offsetMs != 0) {
            throw start.error("offset may not be set multiple times");
        }
    }

    private static void checkAtUnset(AtModifier at, Pos start) {
        if (at != null) {
            throw start.error("@ <timestamp> may not be set multiple times");
        }
    }

    private static AtModifier atModifier(PromQL.AtValueContext ctx, Pos exprStart) {
        if (ctx.START() != null) {
            return new AtModifier(AtModifier.Kind.START, 0);
        }
        if (ctx.END() != null) {
            return new AtModifier(AtModifier.Kind.END, 0);
        }
        double seconds = number(ctx.NUMBER().getSymbol());
        if (ctx.sign != null && ctx.sign.getType() == PromQLLexer.SUB) {
            seconds = -seconds;
        }
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)
                || seconds >= (double) Long.MAX_VALUE / 1000 || seconds <= (double) Long.MIN_VALUE / 1000) {
            throw exprStart.error("timestamp out of bounds for @ modifier: " + formatSeconds(seconds));
        }
        return AtModifier.at(roundHalfAwayFromZero(seconds * 1000));
    }

    private static String formatSeconds(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%f", v);
    }

    /** Go's math.Round, which Prometheus uses to turn float seconds into ms; Java's Math.round rounds half up. */
    static long roundHalfAwayFromZero(double v) {
        double a = Math.abs(v);
        double f = Math.floor(a);
        if (a - f >= 0.5) {
            f += 1;
        }
        return (long) Math.copySign(f, v);
    }

    private List<Expr> args(PromQL.FunctionArgsContext ctx) {
        List<Expr> out = new ArrayList<>(ctx.expr().size());
        for (PromQL.ExprContext e : ctx.expr()) {
            out.add(visit(e));
        }
        return List.copyOf(out);
    }

    private static List<String> labels(PromQL.GroupingLabelsContext ctx) {
        List<String> out = new ArrayList<>(ctx.labelName().size());
        for (PromQL.LabelNameContext l : ctx.labelName()) {
            if (l.METRIC_IDENTIFIER() != null) {
                throw Pos.of(l.start).error("unexpected metric identifier " + SyntaxErrors.quote(l.getText())
                        + " in grouping opts, expected label");
            }
            out.add(l.getText());
        }
        return List.copyOf(out);
    }

    private static Matcher matcher(PromQL.LabelMatcherContext m) {
        Matcher.Type type = switch (m.matchOp.getType()) {
            case PromQLLexer.EQL -> Matcher.Type.EQ;
            case PromQLLexer.NEQ -> Matcher.Type.NEQ;
            case PromQLLexer.EQL_REGEX -> Matcher.Type.RE;
            default -> Matcher.Type.NRE;
        };
        String value = string(m.STRING().getSymbol());
        try {
            return new Matcher(type, m.IDENTIFIER().getText(), value);
        } catch (IllegalArgumentException e) {
            throw Pos.of(m.start).error(e.getMessage());
        }
    }

    private static BinaryOp binaryOp(Token op) {
        return switch (op.getType()) {
            case PromQLLexer.ADD -> BinaryOp.ADD;
            case PromQLLexer.SUB -> BinaryOp.SUB;
            case PromQLLexer.MUL -> BinaryOp.MUL;
            case PromQLLexer.DIV -> BinaryOp.DIV;
            case PromQLLexer.MOD -> BinaryOp.MOD;
            case PromQLLexer.POW -> BinaryOp.POW;
            case PromQLLexer.ATAN2 -> BinaryOp.ATAN2;
            case PromQLLexer.EQLC -> BinaryOp.EQL;
            case PromQLLexer.NEQ -> BinaryOp.NEQ;
            case PromQLLexer.GTR -> BinaryOp.GTR;
            case PromQLLexer.LSS -> BinaryOp.LSS;
            case PromQLLexer.GTE -> BinaryOp.GTE;
            case PromQLLexer.LTE -> BinaryOp.LTE;
            case PromQLLexer.AND -> BinaryOp.AND;
            case PromQLLexer.OR -> BinaryOp.OR;
            case PromQLLexer.UNLESS -> BinaryOp.UNLESS;
            default -> throw new IllegalStateException("BUG: not a binary operator: " + op.getText());
        };
    }

    private static double number(Token t) {
        try {
            return Literals.number(t.getText());
        } catch (IllegalArgumentException e) {
            throw Pos.of(t).error(e.getMessage());
        }
    }

    private static String string(Token t) {
        try {
            return Literals.unquote(t.getText());
        } catch (IllegalArgumentException e) {
            throw Pos.of(t).error(e.getMessage());
        }
    }

    private static long duration(Token t) {
        try {
            return Literals.durationMs(t.getText());
        } catch (IllegalArgumentException e) {
            throw Pos.of(t).error(e.getMessage());
        }
    }
}
