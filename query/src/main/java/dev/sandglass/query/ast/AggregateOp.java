package dev.sandglass.query.ast;

public enum AggregateOp {
    SUM, AVG, COUNT, MIN, MAX, GROUP, STDDEV, STDVAR, TOPK, BOTTOMK, COUNT_VALUES, QUANTILE;

    /** The keyword as written in PromQL. */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean takesParameter() {
        return this == TOPK || this == BOTTOMK || this == COUNT_VALUES || this == QUANTILE;
    }
}
