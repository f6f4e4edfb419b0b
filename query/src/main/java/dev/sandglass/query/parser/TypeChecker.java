package dev.sandglass.query.parser;

import dev.sandglass.query.ast.AggregateExpr;
import dev.sandglass.query.ast.AggregateOp;
import dev.sandglass.query.ast.BinaryExpr;
import dev.sandglass.query.ast.Call;
import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.ast.MatrixSelector;
import dev.sandglass.query.ast.NumberLiteral;
import dev.sandglass.query.ast.ParenExpr;
import dev.sandglass.query.ast.StringLiteral;
import dev.sandglass.query.ast.SubqueryExpr;
import dev.sandglass.query.ast.UnaryExpr;
import dev.sandglass.query.ast.ValueType;
import dev.sandglass.query.ast.VectorSelector;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import java.util.Map;

/**
 * The type-check pass over a built AST, with the rules of Prometheus's checkAST: operand and
 * argument types, argument counts, bool and set-operator rules, and selectors that would select
 * everything. Fails on the first error, at the position of the offending node.
 */
final class TypeChecker {
    private final Map<Expr, Pos> positions;
    private final Map<Expr, Pos> operatorPositions;

    TypeChecker(Map<Expr, Pos> positions, Map<Expr, Pos> operatorPositions) {
        this.positions = positions;
        this.operatorPositions = operatorPositions;
    }

    private Pos pos(Expr e) {
        return positions.getOrDefault(e, new Pos(1, 1));
    }

    ValueType check(Expr node) {
        if (node instanceof AggregateExpr a) {
            expect(a.expr(), ValueType.VECTOR, "aggregation expression");
            if (a.op() == AggregateOp.TOPK || a.op() == AggregateOp.BOTTOMK || a.op() == AggregateOp.QUANTILE) {
                expect(a.param(), ValueType.SCALAR, "aggregation parameter");
            } else if (a.op() == AggregateOp.COUNT_VALUES) {
                expect(a.param(), ValueType.STRING, "aggregation parameter");
            }
        } else if (node instanceof BinaryExpr b) {
            checkBinary(b);
        } else if (node instanceof Call c) {
            checkCall(c);
        } else if (node instanceof ParenExpr p) {
            check(p.expr());
        } else if (node instanceof UnaryExpr u) {
            ValueType t = check(u.expr());
            if (t != ValueType.SCALAR && t != ValueType.VECTOR) {
                throw AstBuilder.error(pos(u), "unary expression only allowed on expressions of type scalar or instant vector, got \""
                        + t.documentedName() + "\"");
            }
        } else if (node instanceof SubqueryExpr s) {
            ValueType t = check(s.expr());
            if (t != ValueType.VECTOR) {
                throw AstBuilder.error(pos(s), "subquery is only allowed on instant vector, got " + t.promName() + " instead");
            }
        } else if (node instanceof MatrixSelector m) {
            check(m.vector());
        } else if (node instanceof VectorSelector v) {
            checkSelector(v);
        } else if (!(node instanceof NumberLiteral) && !(node instanceof StringLiteral)) {
            throw new IllegalStateException("BUG: unknown node type " + node.getClass().getSimpleName());
        }
        return node.type();
    }

    private void expect(Expr e, ValueType want, String context) {
        ValueType t = check(e);
        if (t != want) {
            throw AstBuilder.error(pos(e), "expected type " + want.documentedName() + " in " + context + ", got " + t.documentedName());
        }
    }

    private void checkBinary(BinaryExpr b) {
        ValueType lt = check(b.lhs());
        ValueType rt = check(b.rhs());
        Pos opPos = operatorPositions.getOrDefault(b, pos(b));
        if (b.returnBool() && !b.op().isComparison()) {
            throw AstBuilder.error(opPos, "bool modifier can only be used on comparison operators");
        }
        if (b.op().isComparison() && !b.returnBool() && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            throw AstBuilder.error(opPos, "comparisons between scalars must use BOOL modifier");
        }
        if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
            throw AstBuilder.error(pos(b.lhs()), "binary expression must contain only scalar and instant vector types");
        }
        if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
            throw AstBuilder.error(pos(b.rhs()), "binary expression must contain only scalar and instant vector types");
        }
        if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && b.op().isSetOperator()) {
            throw AstBuilder.error(opPos, "set operator \"" + b.op().symbol() + "\" not allowed in binary scalar expression");
        }
    }

    private void checkCall(Call c) {
        FunctionSignature sig = Functions.get(c.function());
        int nargs = sig.argTypes().size();
        int got = c.args().size();
        String name = "\"" + sig.name() + "\"";
        if (sig.variadic() == 0) {
            if (nargs != got) {
                throw AstBuilder.error(pos(c), "expected " + nargs + " argument(s) in call to " + name + ", got " + got);
            }
        } else {
            int min = nargs - 1;
            if (got < min) {
                throw AstBuilder.error(pos(c), "expected at least " + min + " argument(s) in call to " + name + ", got " + got);
            }
            if (sig.variadic() > 0 && got > min + sig.variadic()) {
                throw AstBuilder.error(pos(c), "expected at most " + (min + sig.variadic()) + " argument(s) in call to " + name + ", got " + got);
            }
        }
        for (int i = 0; i < got; i++) {
            int k = Math.min(i, nargs - 1);
            ValueType want = sig.argTypes().get(k);
            ValueType t = check(c.args().get(i));
            if (t != want) {
                throw AstBuilder.error(pos(c.args().get(i)), "expected type " + want.documentedName() + " in call to function "
                        + name + ", got " + t.documentedName());
            }
        }
    }

    private void checkSelector(VectorSelector v) {
        if (v.name() != null) {
            for (int i = 0; i < v.matchers().size() - 1; i++) {
                Matcher m = v.matchers().get(i);
                if (m.name().equals(Labels.METRIC_NAME)) {
                    throw AstBuilder.error(pos(v), "metric name must not be set twice: \"" + v.name() + "\" or \"" + m.value() + "\"");
                }
            }
            return;
        }
        for (Matcher m : v.matchers()) {
            if (!m.matchesEmpty()) {
                return;
            }
        }
        throw AstBuilder.error(pos(v), "vector selector must contain at least one non-empty matcher");
    }
}
