package dev.sandglass.query.parser;

import dev.sandglass.query.ast.BinaryExpr;
import dev.sandglass.query.ast.Expr;
import dev.sandglass.query.ast.VectorMatching;
import dev.sandglass.query.engine.PromQLException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.Token;

/**
 * Where each AST node starts in the query text, and the binary-operator modifiers as written, for
 * the type checker's messages. Keyed by identity: equal records at different places stay apart.
 */
final class SourceMap {
    /** A 1-based line and column, as Prometheus prints them. */
    record Pos(int line, int column) {
        static Pos of(Token t) {
            return new Pos(t.getLine(), t.getCharPositionInLine() + 1);
        }

        PromQLException.ParseException error(String detail) {
            return new PromQLException.ParseException(line, column, detail);
        }
    }

    /**
     * The modifiers of a binary expression before the type checker's normalisation: cardinality as
     * written (group_left/right or one-to-one), the on/ignoring labels and the group_* labels.
     */
    record BinaryModifiers(Pos operator, VectorMatching.Cardinality card, boolean on, List<String> matchingLabels,
                           List<String> include) {
    }

    private final Map<Expr, Pos> starts = new IdentityHashMap<>();
    private final Map<BinaryExpr, BinaryModifiers> binaries = new IdentityHashMap<>();

    <E extends Expr> E at(E node, Pos start) {
        starts.put(node, start);
        return node;
    }

    Pos start(Expr node) {
        Pos p = starts.get(node);
        if (p == null) {
            throw new IllegalStateException("BUG: no source position for " + node);
        }
        return p;
    }

    void binary(BinaryExpr node, BinaryModifiers modifiers) {
        binaries.put(node, modifiers);
    }

    BinaryModifiers modifiers(BinaryExpr node) {
        return binaries.get(node);
    }
}
