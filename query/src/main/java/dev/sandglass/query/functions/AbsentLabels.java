package dev.sandglass.query.functions;

import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.ast.MatrixSelector;
import dev.sandglass.query.ast.ParenExpr;
import dev.sandglass.query.ast.VectorSelector;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Labels of the element absent() and absent_over_time() return. */
public final class AbsentLabels {
    private AbsentLabels() {
    }

    /**
     * The labels absent() and absent_over_time() report: those fixed by equality matchers of a
     * selector argument; a label matched twice, or by any other matcher, is left out (Prometheus's
     * historic behaviour).
     */
    public static Labels of(Expr e) {
        while (e instanceof ParenExpr p) {
            e = p.expr();
        }
        List<Matcher> matchers;
        if (e instanceof VectorSelector vs) {
            matchers = vs.matchers();
        } else if (e instanceof MatrixSelector ms) {
            matchers = ms.vector().matchers();
        } else {
            return Labels.EMPTY;
        }
        Labels.Builder b = Labels.EMPTY.builder();
        Set<String> seen = new HashSet<>();
        for (Matcher m : matchers) {
            if (m.name().equals(Labels.METRIC_NAME)) {
                continue;
            }
            if (m.type() == Matcher.Type.EQ && seen.add(m.name())) {
                b.set(m.name(), m.value());
            } else {
                b.del(m.name());
            }
        }
        return b.build();
    }

}
