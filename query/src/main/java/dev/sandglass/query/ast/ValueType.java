package dev.sandglass.query.ast;

/** PromQL value types, with the names Prometheus uses in messages and JSON ("resultType"). */
public enum ValueType {
    SCALAR("scalar"), STRING("string"), VECTOR("vector"), MATRIX("matrix");

    private final String promName;

    ValueType(String promName) {
        this.promName = promName;
    }

    /** "scalar", "string", "vector" or "matrix"; Prometheus calls VECTOR "instant vector" and MATRIX "range vector" in errors. */
    public String promName() {
        return promName;
    }

    public String documentedName() {
        return switch (this) {
            case VECTOR -> "instant vector";
            case MATRIX -> "range vector";
            default -> promName;
        };
    }
}
