package dev.sandglass.storage;

import dev.sandglass.storage.api.Appender;
import dev.sandglass.storage.api.DiskFullException;
import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.head.Head;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Batches samples; commit writes them to the WAL, then hands them to the head, which files
 * them into their series before any querier made afterwards reads it.
 */
final class WalAppender implements Appender {
    private final Db db;
    private int[] refs = new int[1024];
    private long[] ts = new long[1024];
    private double[] vs = new double[1024];
    private int n;

    WalAppender(Db db) {
        this.db = db;
    }

    @Override
    public long seriesRef(Labels labels) {
        try {
            return db.index().ref(labels);
        } catch (DiskFullException e) {
            db.health().diskFull(e, "new series");
            throw e;
        }
    }

    @Override
    public void append(long ref, long timestampMs, double value) {
        if (n == refs.length) {
            refs = Arrays.copyOf(refs, n * 2);
            ts = Arrays.copyOf(ts, n * 2);
            vs = Arrays.copyOf(vs, n * 2);
        }
        refs[n] = (int) ref;
        ts[n] = timestampMs;
        vs[n] = value;
        n++;
    }

    @Override
    public void commit() {
        if (n == 0) {
            return;
        }
        db.checkOpen();
        try {
            db.index().flush(); // the batch's new series are durable before any sample naming them
        } catch (DiskFullException e) {
            n = 0;
            db.health().diskFull(e, "new series");
            throw e;
        } catch (RuntimeException e) {
            n = 0;
            throw e;
        }
        ReentrantReadWriteLock lock = db.lock();
        lock.writeLock().lock();
        try {
            Head head = db.head(); // the head field changes under the lock
            // What may need memory comes first: a heap too full for it fails the commit
            // before the batch is durable (the caller retries), never after it is.
            head.fold();
            head.reservePending(n);
            try {
                db.wal().append(refs, ts, vs, n);
            } catch (DiskFullException e) {
                db.health().diskFull(e, "WAL commit of " + n + " samples");
                throw e;
            } catch (RuntimeException e) {
                db.health().failed("wal");
                throw e;
            }
            db.health().wrote();
            // Filed into the series by prepareNext() or before the next read (see foldPending).
            head.addPending(refs, ts, vs, n);
            db.changed();
        } finally {
            lock.writeLock().unlock();
            n = 0;
        }
        db.checkHeadBudget();
    }

    @Override
    public void rollback() {
        n = 0;
    }

    /**
     * Files the last batch into the head's series, pre-faults the WAL for the next commits and
     * copies new series into the index's map.
     */
    @Override
    public void prepareNext() {
        if (!db.closed()) {
            db.foldPending();
            db.wal().prefault();
            db.index().syncMap();
        }
    }
}

