package dev.sandglass.query.parser;

import org.antlr.v4.runtime.Token;

/** A position in the query text: 1-based line and column, as Prometheus prints them. */
record Pos(int line, int column) {
    static Pos of(Token t) {
        return new Pos(t.getLine(), t.getCharPositionInLine() + 1);
    }
}
