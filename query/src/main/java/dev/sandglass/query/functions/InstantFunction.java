package dev.sandglass.query.functions;

import dev.sandglass.query.engine.StepVector;

/** A function of instant vectors and scalars, evaluated once per step. */
@FunctionalInterface
public interface InstantFunction {
    /** Appends this step's result elements to {@code out}; a scalar result is one element with empty labels. */
    void apply(InstantCall call, StepVector out);
}
