package dev.sandglass.query.functions;

/** The value order of sort, sort_desc, topk and bottomk: ascending or descending, NaN last either way. */
public final class ValueOrder {
    private ValueOrder() {
    }

    public static int compare(double a, double b, boolean descending) {
        boolean na = Double.isNaN(a);
        boolean nb = Double.isNaN(b);
        if (na || nb) {
            return Boolean.compare(na, nb);
        }
        return descending ? Double.compare(b, a) : Double.compare(a, b);
    }
}
