package dev.sandglass.storage.head;

import java.util.Arrays;

/**
 * A head's last committed batch, kept aside as columns until the head files it into its series
 * (see {@link Head#addPending}): a sequential copy, while filing touches a random cache line per
 * sample. Not thread-safe, as the head; only {@link #waiting()} is read without the Db's lock.
 */
final class PendingBatch {
    int[] refs = new int[0];
    long[] ts = new long[0];
    double[] vs = new double[0];
    /** Samples waiting: refs[0..count). */
    int count;
    private volatile boolean waiting;

    /** Room for a batch of {@code count} samples; keeps a waiting batch. */
    void reserve(int count) {
        if (refs.length < count) {
            int[] r = Arrays.copyOf(refs, count);
            long[] t = Arrays.copyOf(ts, count);
            double[] v = Arrays.copyOf(vs, count);
            refs = r;
            ts = t;
            vs = v;
        }
    }

    /** Keeps a copy of the batch (room reserved first); the previous one must have been filed. */
    void keep(int[] refs, long[] ts, double[] vs, int count) {
        reserve(count);
        System.arraycopy(refs, 0, this.refs, 0, count);
        System.arraycopy(ts, 0, this.ts, 0, count);
        System.arraycopy(vs, 0, this.vs, 0, count);
        this.count = count;
        waiting = count > 0;
    }

    /** Nothing waits any more (filed, or the head was cleared). */
    void clear() {
        count = 0;
        waiting = false;
    }

    /** Whether a batch waits to be filed; readable without the Db's lock. */
    boolean waiting() {
        return waiting;
    }

    /** Samples the columns have room for. */
    int capacity() {
        return refs.length;
    }
}
