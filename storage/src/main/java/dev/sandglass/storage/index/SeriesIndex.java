package dev.sandglass.storage.index;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.SeriesLimits;
import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.segment.Damage;
import dev.sandglass.storage.util.DiskSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Series refs by label set: persisted in Chronicle Maps (canonical label text -> ref; SeriesMaps) and in a
 * checksummed log the map is rebuilt from when damaged (SeriesLog), with the label sets (SeriesTable,
 * over interned Symbols) and an inverted index (Postings) in compact form in memory, rebuilt from
 * the log at open. Sandbox
 * churn mints series without end, so the map is never allowed to fill: at 3/4 of its capacity a
 * new generation with twice the capacity is started beside the older ones, which are kept as
 * they are (nothing is copied).
 *
 * <p>New series cost no I/O when they are added: {@link #ref} puts them in memory and encodes
 * their log records into a batch; {@link #flush} writes the batch in one write, and the store
 * calls it before anything that names their refs (a WAL commit, a block) is written, so every
 * durable sample's series is durable first. The map is the log's redundant copy (the log is
 * complete without it, and every open completes the map from the log), so it is filled later,
 * in {@link #syncMap} between batches and at close, off the path of the request that made the
 * series. Thread-safe.
 *
 * <p>Its parts: the open path (SeriesLoader), the map's fill and page-outs (MapSync), the select
 * cache (SelectCache), over the tables (SeriesTable, Symbols, Postings) held here.
 */
public final class SeriesIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SeriesIndex.class);
    public static final long DEFAULT_CAPACITY = 4_096;

    private final Path dir;
    private final boolean readOnly;
    private final DiskSpace space;
    /** The map's generations; null when read-only (loaded, then closed). */
    private SeriesMaps maps;
    private SeriesLog log;
    /** Refs below this are in the log (flushed). */
    private int logged;
    /** Refs below this are in the map (or are gaps). */
    private int mapped;
    /** A batch is written early past this many bytes (an import adds series by the hundred thousand). */
    private static final int FLUSH_BYTES = 1 << 20;
    private final Symbols symbols;
    private final MapSync mapSync = new MapSync();
    /** The per-series tables' pages, outside the heap (ScratchPages). */
    private final ScratchPages scratch;
    private final SeriesTable series;
    private final Postings postings;
    /** Answers of {@link #select} by matchers, dropped whenever a series is added. */
    private final SelectCache selected = new SelectCache();

    public SeriesIndex(Path dir, long initialCapacity, boolean readOnly) {
        this.dir = dir;
        this.readOnly = readOnly;
        this.space = new DiskSpace(dir, DiskSpace.DEFAULT_RESERVE);
        try {
            if (!readOnly) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new StorageException("open series index in " + dir + ": " + e.getMessage(), e);
        }
        this.scratch = new ScratchPages(readOnly ? Path.of(System.getProperty("java.io.tmpdir")) : dir);
        this.symbols = new Symbols(scratch);
        this.series = new SeriesTable(symbols, scratch);
        this.postings = new Postings(symbols, scratch);
        SeriesLoader loader = new SeriesLoader(dir, readOnly, space, series, this::addInMemory);
        try {
            List<Path> files = Files.isDirectory(dir) ? SeriesMaps.files(dir) : List.of();
            Damage damage = new Damage(dir.toAbsolutePath().getParent().resolve("damaged"), readOnly);
            // The log goes straight into the compact tables, one record at a time: a million series
            // never exist as a million Strings at once.
            if (readOnly) {
                // A complete log names every series: the maps (whose first open in a process costs
                // seconds of code generation) are read only when the log cannot stand alone.
                if (!SeriesLog.readOnly(dir, damage, loader::addFromLog)) {
                    loader.loadCopies(files);
                }
            } else {
                log = SeriesLog.open(dir, damage, loader::addFromLog);
                loader.openOrRebuild(log, files, initialCapacity, damage);
                maps = loader.maps();
            }
            postings.freeze();
            logged = series.size();
            mapped = series.size();
            // Rebuilding wrote every page of the tables (~28 MiB at a million series); lookups and
            // queries fault back in the few they need. Not for a read-only index (an offline
            // command): it lives for one query, which would only fault the pages back in.
            if (!readOnly) {
                scratch.pageOut();
            }
        } catch (IOException | RuntimeException e) {
            maps = loader.maps(); // what the failed open left open, closed with the rest
            closeQuietly();
            if (e instanceof StorageException se) {
                throw se;
            }
            throw new StorageException("open series index in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // already failing
        }
    }

    private void addInMemory(int ref, Labels l) {
        series.put(ref, l);
        // The postings keep the interned strings of the stored form, not the caller's.
        postings.add(ref, series.labels(ref));
        selected.clear();
    }

    /** The ref of a label set, adding it (durably, before returning) when new. */
    public synchronized int ref(Labels labels) {
        int r = series.find(labels);
        if (r >= 0) {
            return r;
        }
        if (readOnly) {
            throw new StorageException("the store is open read-only: cannot add series " + labels);
        }
        String tooLarge = SeriesLimits.check(labels);
        if (tooLarge != null) {
            throw new StorageException("cannot add series: " + tooLarge);
        }
        if (log.pendingRecords() == 0) {
            // Once per batch, not per series: a full disk refuses new series here, as it did when
            // each was written at once, rather than at the commit that would write them.
            space.ensure(64 << 10);
        }
        int ref = series.size();
        log.add(ref, labels);
        addInMemory(ref, labels);
        if (log.pendingBytes() > FLUSH_BYTES) {
            flush();
        }
        return ref;
    }

    /**
     * Writes the log records of every series added since the last flush, in one write. Call it
     * before writing anything that names their refs. On failure (a full disk) the records stay
     * pending and the next flush writes them: a ref is never handed out twice.
     */
    public synchronized void flush() {
        if (log == null || log.pendingRecords() == 0) {
            return;
        }
        space.ensure(log.pendingBytes() + (64L << 10));
        log.flush();
        logged = series.size();
    }

    /**
     * Puts the series logged since the last call into the map, a few at a time (the lock is let go
     * between them). For a writer's quiet moments: nothing depends on it but the map's use as the
     * log's backup.
     */
    public void syncMap() {
        long backlog = -1; // the series to put when this sync began
        while (true) {
            synchronized (this) {
                if (maps == null || mapped >= logged) {
                    return;
                }
                if (backlog < 0) {
                    backlog = logged - mapped;
                }
                mapped = mapSync.putBatch(maps, series, mapped, logged, backlog);
            }
        }
    }

    /** The label set of {@code ref} (a new object each call), or null for a ref lost to damage. */
    public synchronized Labels labels(int ref) {
        if (ref < 0 || ref >= series.size()) {
            throw new IndexOutOfBoundsException("no series ref " + ref + "; " + series.size() + " refs");
        }
        return series.labels(ref);
    }

    /** One past the highest ref (refs below it may be gaps: {@link #labels} is null for those). */
    public synchronized int size() {
        return series.size();
    }

    /** Heap bytes of the in-memory tables (series arena and lookup; postings and symbols not counted). */
    public synchronized long tableBytes() {
        return series.bytes();
    }

    /** Entries the map's generations hold room for together (0 when read-only). */
    public synchronized long capacity() {
        return maps == null ? 0 : maps.capacity();
    }

    /** The distinct values of label {@code name} over every series held, sorted (from the postings alone). */
    public synchronized List<String> labelValues(String name) {
        return postings.values(name);
    }

    /** The label names of every series held, sorted (from the postings alone). */
    public synchronized List<String> labelNames() {
        return postings.names();
    }

    /** Refs of series matching every matcher, ascending; empty matchers select nothing. */
    public synchronized int[] select(List<Matcher> matchers) {
        return selection(matchers).refs.clone();
    }

    /**
     * Series matching every matcher, sorted by labels (as queriers return them): refs and labels
     * side by side. Shared: callers must not change the arrays.
     */
    public record Selection(int[] refs, int[] byLabels, Labels[] labels) {
    }

    /** {@link #select} with the series in label order; cached like it. */
    public synchronized Selection selection(List<Matcher> matchers) {
        return selected.get(matchers, postings, series);
    }

    /**
     * Lets go of the cached selections and decoded symbols, for an idle server: a million
     * series' widest cached selections held ~1.8 MB of label sets, which the serial collector's
     * sizing makes ~3 MiB of resident heap. The next select makes its answer again.
     */
    public synchronized void releaseIdleCaches() {
        selected.clear();
        symbols.dropCache();
        scratch.pageOut();
        if (maps != null) {
            mapSync.pageOut(maps);
        }
    }

    @Override
    public synchronized void close() {
        if (log != null) {
            try {
                flush();
                syncMap();
            } catch (RuntimeException e) {
                LOG.warn("closing series index {}: {}", dir, e.getMessage());
            }
        }
        if (maps != null) {
            maps.close();
            maps = null;
        }
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                LOG.warn("closing {}: {}", dir.resolve(SeriesLog.FILE), e.getMessage());
            }
            log = null;
        }
        scratch.close();
    }
}
