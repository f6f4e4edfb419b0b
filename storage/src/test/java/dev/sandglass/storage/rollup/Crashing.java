package dev.sandglass.storage.rollup;

/** Rollup writers for tests in other packages: a small excerpt limit, and a crash after some excerpts. */
public final class Crashing {
    private Crashing() {
    }

    /** A writer whose excerpts stay under {@code limit} bytes and whose append after {@code parts} excerpts fails. */
    public static RollupWriter writer(int limit, int parts) {
        RollupWriter w = new RollupWriter(limit);
        w.stopAfterParts = parts;
        return w;
    }

    /** Excerpts the writer appended (or tried to: the one that failed counts too). */
    public static int parts(RollupWriter w) {
        return w.partsWritten;
    }
}
