package dev.sandglass.storage.api;

/** Something that can be read: the live store, or one opened offline. */
public interface Queryable {
    /** A querier over [minT, maxT] (unix ms, inclusive). */
    Querier querier(long minT, long maxT);

    /**
     * A count that changes whenever what a querier made now could read changes (a commit, a
     * seal, retention); -1 when the store cannot tell. Makes no querier, so a reader may poll it
     * to redo work only after a change.
     */
    default long changeCount() {
        return -1;
    }
}
