package dev.sandglass.query.parser;

import dev.sandglass.query.ast.AggregateExpr;
import dev.sandglass.query.ast.AtModifier;
import dev.sandglass.query.ast.BinaryExpr;
import dev.sandglass.query.ast.Call;
import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.ast.MatrixSelector;
import dev.sandglass.query.ast.NumberLiteral;
import dev.sandglass.query.ast.ParenExpr;
import dev.sandglass.query.ast.StringLiteral;
import dev.sandglass.query.ast.SubqueryExpr;
import dev.sandglass.query.ast.UnaryExpr;
import dev.sandglass.query.ast.VectorMatching;
import dev.sandglass.query.ast.VectorSelector;
import dev.sandglass.storage.api.Matcher;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A compact, fully bracketed rendering of an AST for test tables: every binary and unary
 * expression in parentheses, modifiers spelt out, durations in ms, so precedence and
 * attachment are visible at a glance.
 */
final class AstPrinter {
    private AstPrinter() {
    }

    static String print(Expr e) {
        if (e instanceof NumberLiteral n) {
            return number(n.value());
        }
        if (e instanceof StringLiteral s) {
            return "\"" + s.value().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        }
        if (e instanceof VectorSelector vs) {
            return selector(vs);
        }
        if (e instanceof MatrixSelector ms) {
            VectorSelector vs = ms.vector();
            return name(vs) + "[" + ms.rangeMs() + "]" + modifiers(vs.offsetMs(), vs.at());
        }
        if (e instanceof SubqueryExpr sq) {
            return print(sq.expr()) + "[" + sq.rangeMs() + ":" + sq.stepMs() + "]" + modifiers(sq.offsetMs(), sq.at());
        }
        if (e instanceof Call c) {
            return c.function() + "(" + c.args().stream().map(AstPrinter::print).collect(Collectors.joining(", ")) + ")";
        }
        if (e instanceof AggregateExpr a) {
            String grouping = a.without() ? " without(" + String.join(",", a.grouping()) + ")"
                    : a.grouping().isEmpty() ? "" : " by(" + String.join(",", a.grouping()) + ")";
            return a.op().keyword() + grouping + "(" + (a.param() == null ? "" : print(a.param()) + ", ") + print(a.expr()) + ")";
        }
        if (e instanceof BinaryExpr b) {
            return "(" + print(b.lhs()) + " " + b.op().symbol() + (b.returnBool() ? " bool" : "") + matching(b.matching())
                    + " " + print(b.rhs()) + ")";
        }
        if (e instanceof UnaryExpr u) {
            return "(" + (u.negate() ? "-" : "+") + print(u.expr()) + ")";
        }
        if (e instanceof ParenExpr p) {
            return "paren(" + print(p.expr()) + ")";
        }
        throw new IllegalStateException("unknown node " + e);
    }

    private static String matching(VectorMatching m) {
        if (m == null) {
            return "";
        }
        String card = switch (m.cardinality()) {
            case ONE_TO_ONE -> "1:1";
            case MANY_TO_ONE -> "n:1";
            case ONE_TO_MANY -> "1:n";
            case MANY_TO_MANY -> "n:n";
        };
        return " {" + card + (m.on() ? " on(" : " ignoring(") + String.join(",", m.matchingLabels()) + ")"
                + (m.include().isEmpty() ? "" : " include(" + String.join(",", m.include()) + ")") + "}";
    }

    private static String selector(VectorSelector vs) {
        return name(vs) + modifiers(vs.offsetMs(), vs.at());
    }

    private static String name(VectorSelector vs) {
        List<Matcher> ms = vs.matchers();
        return (vs.name() == null ? "" : vs.name()) + "{" + ms.stream().map(Matcher::toString).collect(Collectors.joining(","))
                + "}";
    }

    private static String modifiers(long offsetMs, AtModifier at) {
        String s = offsetMs != 0 ? " offset " + offsetMs : "";
        if (at != null) {
            s += switch (at.kind()) {
                case TIMESTAMP -> " @ " + at.timestampMs();
                case START -> " @ start()";
                case END -> " @ end()";
            };
        }
        return s;
    }

    private static String number(double v) {
        if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v) + (v == 0 && 1 / v < 0 ? "(-0)" : "");
        }
        return Double.toString(v);
    }
}
