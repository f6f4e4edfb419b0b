package dev.sandglass.storage.api;

/** Something that can be read: the live store, or one opened offline. */
public interface Queryable {
    /** A querier over [minT, maxT] (unix ms, inclusive). */
    Querier querier(long minT, long maxT);
}
