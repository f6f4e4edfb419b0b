package dev.sandglass.query.ast;

import java.util.List;

/**
 * How the two sides of a vector/vector binary operation match: {@code on} true means
 * {@code on(labels)}, false means {@code ignoring(labels)} (an absent clause is ignoring()).
 * {@code include} holds the {@code group_left/right(labels)} list.
 */
public record VectorMatching(Cardinality cardinality, List<String> matchingLabels, boolean on, List<String> include) {
    public enum Cardinality { ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY }
}
