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
import dev.sandglass.query.ast.VectorMatching.Cardinality;
import dev.sandglass.query.ast.VectorSelector;
import dev.sandglass.query.parser.SourceMap.Pos;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;

/**
 * The type rules Prometheus's checkAST enforces after parsing: argument counts and types of
 * functions and aggregations, operand types of unary and binary operators, where bool, on/ignoring
 * and group_* may appear, and the vector-selector sanity rules. Throws at the first violation.
 */
final class TypeChecker {
    private final SourceMap source;

    TypeChecker(SourceMap source) {
        this.source = source;
    }

    void check(Expr e) {
        if (e instanceof NumberLiteral || e instanceof StringLiteral) {
            return;
        }
        if (e instanceof VectorSelector vs) {
            checkSelector(vs);
        } else if (e instanceof MatrixSelector ms) {
            checkSelector(ms.vector());
        } else if (e instanceof SubqueryExpr sq) {
            check(sq.expr());
            if (sq.expr().type() != ValueType.VECTOR) {
                throw pos(sq).error("subquery is only allowed on instant vector, got " + sq.expr().type().promName() + " instead");
            }
        } else if (e instanceof ParenExpr p) {
            check(p.expr());
        } else if (e instanceof UnaryExpr u) {
            check(u.expr());
            ValueType t = u.expr().type();
            if (t != ValueType.SCALAR && t != ValueType.VECTOR) {
                throw pos(u).error("unary expression only allowed on expressions of type scalar or instant vector, got "
                        + SyntaxErrors.quote(t.documentedName()));
            }
        } else if (e instanceof Call c) {
            checkCall(c);
        } else if (e instanceof AggregateExpr a) {
            checkAggregate(a);
        } else if (e instanceof BinaryExpr b) {
            checkBinary(b);
        } else {
            throw new IllegalStateException("BUG: type checker misses node " + e.getClass().getSimpleName());
        }
    }

    private void checkSelector(VectorSelector vs) {
        if (vs.name() != null) {
            // The first matcher is the one for the name written outside the braces.
            for (Matcher m : vs.matchers().subList(1, vs.matchers().size())) {
                if (m.name().equals(Labels.METRIC_NAME)) {
                    throw pos(vs).error("metric name must not be set twice: " + SyntaxErrors.quote(vs.name())
                            + " or " + SyntaxErrors.quote(m.value()));
                }
            }
            return;
        }
        for (Matcher m : vs.matchers()) {
            if (!m.matchesEmpty()) {
                return;
            }
        }
        throw pos(vs).error("vector selector must contain at least one non-empty matcher");
    }

    private void checkCall(Call c) {
        FunctionSignature sig = Functions.get(c.function());
        int n = c.args().size();
        String quoted = SyntaxErrors.quote(c.function());
        if (sig.variadic() == 0) {
            if (n != sig.argTypes().size()) {
                throw pos(c).error("expected " + sig.argTypes().size() + " argument(s) in call to " + quoted + ", got " + n);
            }
        } else if (n < sig.minArgs()) {
            throw pos(c).error("expected at least " + sig.minArgs() + " argument(s) in call to " + quoted + ", got " + n);
        } else if (n > sig.maxArgs()) {
            throw pos(c).error("expected at most " + sig.maxArgs() + " argument(s) in call to " + quoted + ", got " + n);
        }
        for (int i = 0; i < n; i++) {
            expectType(c.args().get(i), sig.argType(i), "call to function " + quoted);
        }
    }

    private void checkAggregate(AggregateExpr a) {
        expectType(a.expr(), ValueType.VECTOR, "aggregation expression");
        if (a.op() == AggregateOp.TOPK || a.op() == AggregateOp.BOTTOMK || a.op() == AggregateOp.QUANTILE) {
            expectType(a.param(), ValueType.SCALAR, "aggregation parameter");
        } else if (a.op() == AggregateOp.COUNT_VALUES) {
            expectType(a.param(), ValueType.STRING, "aggregation parameter");
        }
    }

    private void checkBinary(BinaryExpr b) {
        check(b.lhs());
        check(b.rhs());
        SourceMap.BinaryModifiers mod = source.modifiers(b);
        Pos op = mod.operator();
        ValueType lt = b.lhs().type();
        ValueType rt = b.rhs().type();
        if (b.returnBool() && !b.op().isComparison()) {
            throw op.error("bool modifier can only be used on comparison operators");
        }
        if (b.op().isComparison() && !b.returnBool() && lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
            throw op.error("comparisons between scalars must use BOOL modifier");
        }
        if (mod.on()) {
            for (String l : mod.matchingLabels()) {
                if (mod.include().contains(l)) {
                    throw op.error("label " + SyntaxErrors.quote(l) + " must not occur in ON and GROUP clause at once");
                }
            }
        }
        if (lt != ValueType.SCALAR && lt != ValueType.VECTOR) {
            throw pos(b.lhs()).error("binary expression must contain only scalar and instant vector types");
        }
        if (rt != ValueType.SCALAR && rt != ValueType.VECTOR) {
            throw pos(b.rhs()).error("binary expression must contain only scalar and instant vector types");
        }
        if (lt != ValueType.VECTOR || rt != ValueType.VECTOR) {
            if (!mod.matchingLabels().isEmpty()) {
                throw pos(b).error("vector matching only allowed between instant vectors");
            }
        } else if (b.op().isSetOperator() && mod.card() != Cardinality.ONE_TO_ONE) {
            throw pos(b).error("no grouping allowed for " + SyntaxErrors.quote(b.op().symbol()) + " operation");
        }
        if ((lt == ValueType.SCALAR || rt == ValueType.SCALAR) && b.op().isSetOperator()) {
            throw pos(b).error("set operator " + SyntaxErrors.quote(b.op().symbol()) + " not allowed in binary scalar expression");
        }
    }

    private void expectType(Expr e, ValueType want, String context) {
        check(e);
        if (e.type() != want) {
            throw pos(e).error("expected type " + want.documentedName() + " in " + context + ", got " + e.type().documentedName());
        }
    }

    private Pos pos(Expr e) {
        return source.start(e);
    }
}
