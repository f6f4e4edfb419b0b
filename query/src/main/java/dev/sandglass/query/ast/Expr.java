package dev.sandglass.query.ast;

/**
 * A PromQL expression: the AST the parser builds and the evaluator walks. One record per node kind;
 * evaluation dispatches over this sealed set in one place. Durations and timestamps are unix ms.
 */
public sealed interface Expr
        permits NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, SubqueryExpr, Call,
                AggregateExpr, BinaryExpr, UnaryExpr, ParenExpr {
    /** The type this expression evaluates to, as the type checker established it. */
    ValueType type();
}
