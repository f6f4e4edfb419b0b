package dev.sandglass.query.functions;

/** A function of a range vector, evaluated per series and step on one {@link Window}. */
@FunctionalInterface
public interface RangeFunction {
    /**
     * Computes {@code w.result}; returns false when this window yields no element (e.g. rate needs
     * two samples). Called only for windows with at least one sample.
     */
    boolean apply(Window w);
}
