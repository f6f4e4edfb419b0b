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
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
    /** Map puts since its files were last paged out. */
    private long putsSincePageOut;
    /** The per-series tables' pages, outside the heap (ScratchPages). */
    private final ScratchPages scratch;
    private final SeriesTable series;
    private final Postings postings;
    /**
     * Answers of {@link #select} by matchers, dropped whenever a series is added: dashboards and the
     * sandbox views repeat the same selects every second, and the postings walk is most of their cost.
     */
    private final Map<List<Matcher>, Selection> selected = new HashMap<>();
    private static final int SELECT_CACHE = 256;
    private static final int SELECT_CACHE_MAX_SERIES = 65_536;
    private int selectedSeries;

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
        try {
            List<Path> files = Files.isDirectory(dir) ? SeriesMaps.files(dir) : List.of();
            Damage damage = new Damage(dir.toAbsolutePath().getParent().resolve("damaged"), readOnly);
            // The log goes straight into the compact tables, one record at a time: a million series
            // never exist as a million Strings at once.
            BitSet fromLog = new BitSet();
            if (readOnly) {
                // A complete log names every series: the maps (whose first open in a process costs
                // seconds of code generation) are read only when the log cannot stand alone.
                if (!SeriesLog.readOnly(dir, damage, (text, ref) -> addFromLog(text, ref, fromLog))) {
                    loadCopies(files, fromLog);
                }
            } else {
                log = SeriesLog.open(dir, damage, (text, ref) -> addFromLog(text, ref, fromLog));
                openOrRebuild(files, initialCapacity, damage, fromLog);
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
            closeQuietly();
            if (e instanceof StorageException se) {
                throw se;
            }
            throw new StorageException("open series index in " + dir + ": " + e.getMessage(), e);
        }
    }

    private void addFromLog(String text, long ref, BitSet fromLog) {
        if (fromLog.get((int) ref)) {
            LOG.error("series index log: ref {} is written twice; the first is kept", ref);
            return;
        }
        Labels l = parse(text, ref);
        if (l != null) {
            addInMemory((int) ref, l);
            fromLog.set((int) ref);
        }
    }

    private static Labels parse(String text, long ref) {
        try {
            return LabelText.parse(text);
        } catch (RuntimeException ex) {
            LOG.error("series index: ref {} has unreadable labels ({}); its samples cannot be named and are left out", ref, ex.getMessage());
            return null;
        }
    }

    /**
     * Opens every generation of the map; one Chronicle cannot open (torn, scribbled header, cut
     * short) is moved aside into damaged/ and what it held is put again from the log. When the log
     * was read whole and the maps hold as many entries, they are not walked: their pages (hundreds
     * of bytes a series) would otherwise all become resident at every start. A map that opens but
     * cannot be walked sends every generation aside, and one new generation is filled from the log.
     */
    private void openOrRebuild(List<Path> files, long initialCapacity, Damage damage, BitSet fromLog) throws IOException {
        int last = files.isEmpty() ? -1 : SeriesMaps.number(files.get(files.size() - 1));
        int logged = fromLog.cardinality();
        maps = new SeriesMaps(dir, space);
        for (Path f : files) {
            try {
                maps.open(f);
            } catch (IOException | RuntimeException e) {
                moveAside(f, e, damage);
            }
        }
        if (maps.isEmpty()) {
            maps.start(last + 1, sized(initialCapacity, logged));
        }
        try {
            long inMap = maps.size();
            if (!log.damaged() && inMap == logged) {
                return;
            }
            if (!log.damaged() && inMap < logged) {
                refill(initialCapacity, inMap, logged);
                return;
            }
            reconcile(fromLog);
        } catch (IOException | RuntimeException e) {
            List<Path> held = maps.heldFiles();
            int newest = Math.max(last, maps.newestNumber());
            try {
                maps.close();
            } catch (RuntimeException ignored) {
                // already damaged
            }
            for (Path f : held) {
                moveAside(f, e, damage);
            }
            maps = new SeriesMaps(dir, space);
            maps.start(newest + 1, sized(initialCapacity, logged));
            fillMap(new BitSet());
        }
    }

    private void moveAside(Path f, Exception e, Damage damage) throws IOException {
        Files.createDirectories(damage.dir());
        Path aside = damage.dir().resolve(f.getFileName() + "." + System.currentTimeMillis() + ".damaged");
        Files.move(f, aside);
        LOG.error("series index {} is damaged ({}): moved aside to {}; rebuilding it from {}", f, e.getMessage(), aside,
                dir.resolve(SeriesLog.FILE));
    }

    /** {@code cap}, doubled until {@code entries} fit in 3/4 of it. */
    private static long sized(long cap, long entries) {
        while (entries > cap * 3 / 4) {
            cap *= 2;
        }
        return cap;
    }

    /**
     * The maps lag a whole log: they are filled after the log, so a kill leaves them short,
     * possibly inside a put whose segment lock the dead process still holds (Chronicle would wait
     * for it, then fail). Such maps are not walked: the older generations go first, then one new
     * generation, sized for every series, is filled from the log's series (a kill during the fill
     * leaves a map short of a whole log again: the next open comes back here).
     */
    private void refill(long initialCapacity, long inMap, int logged) throws IOException {
        long cap = sized(initialCapacity, logged);
        if (inMap > 0 || maps.capacity() < cap || maps.heldFiles().size() > 1) {
            maps.start(cap);
            maps.dropOlder();
        }
        LOG.info("series index map holds {} of the log's {} series: filling it from {}", inMap, logged, dir.resolve(SeriesLog.FILE));
        fillMap(new BitSet());
    }

    /**
     * Walks the maps beside what the log gave: the log's (checksummed) text wins where both have a
     * ref; a ref only a map has is taken and logged (a store from before the log gets one here);
     * then every series the maps lack is put into the newest.
     */
    private void reconcile(BitSet fromLog) {
        BitSet inMap = new BitSet();
        List<String> wrong = new ArrayList<>();
        maps.forEach((k, v) -> {
            int ref = v.intValue();
            String text = k.toString();
            if (fromLog.get(ref)) {
                if (text.equals(LabelText.format(series.labels(ref)))) {
                    inMap.set(ref);
                } else {
                    LOG.error("series index: the map's entry for ref {} differs from the log's; the log's is kept", ref);
                    wrong.add(text);
                }
            } else if (!series.has(ref)) {
                Labels l = parse(text, ref);
                if (l != null) {
                    addInMemory(ref, l);
                    inMap.set(ref);
                    if (!readOnly) {
                        log.add(ref, text);
                    }
                }
            }
        });
        if (!readOnly) {
            log.flush();
            wrong.forEach(maps::remove);
            fillMap(inMap);
        }
    }

    /** Puts every series held in memory and not in {@code inMap} into the map. */
    private void fillMap(BitSet inMap) {
        int left = series.count() - inMap.cardinality();
        for (int ref = 0; ref < series.size(); ref++) {
            if (series.has(ref) && !inMap.get(ref)) {
                putInMap(ref, left--);
            }
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // already failing
        }
    }

    /**
     * Read-only: Chronicle Map opens its file for writing, which fails on a data dir the user may
     * only read (and would write to one it may). Everything is held in memory once loaded, so
     * private copies are opened, loaded and deleted; the originals are only ever read.
     */
    private void loadCopies(List<Path> files, BitSet fromLog) throws IOException {
        if (files.isEmpty()) {
            return;
        }
        Path copies = Files.createTempDirectory("sandglass-index-");
        maps = new SeriesMaps(copies, space);
        try {
            for (Path f : files) {
                Path copy = copies.resolve(f.getFileName());
                try {
                    Files.copy(f, copy);
                    maps.open(copy);
                } catch (IOException | RuntimeException e) {
                    LOG.error("series index {} cannot be read ({}); the series come from {} and the other generations", f, e.getMessage(),
                            dir.resolve(SeriesLog.FILE));
                }
            }
            reconcile(fromLog);
        } catch (RuntimeException e) {
            LOG.error("series index in {} cannot be read ({}); the series come from {} alone", dir, e.getMessage(), dir.resolve(SeriesLog.FILE));
        } finally {
            maps.close();
            maps = null;
            try (Stream<Path> left = Files.list(copies)) {
                for (Path p : left.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(copies);
        }
    }

    private void addInMemory(int ref, Labels l) {
        series.put(ref, l);
        // The postings keep the interned strings of the stored form, not the caller's.
        postings.add(ref, series.labels(ref));
        selected.clear();
        selectedSeries = 0;
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
                int to = Math.min(logged, mapped + 1024);
                for (int ref = mapped; ref < to; ref++) {
                    if (series.has(ref)) {
                        // The whole backlog's room when a generation is started: an import's hundred
                        // thousand series would otherwise start one at every doubling on the way.
                        putInMap(ref, logged - ref);
                        putsSincePageOut++;
                        pageOutMapWhenDue(false, backlog);
                    }
                }
                mapped = to;
                pageOutMapWhenDue(mapped >= logged, backlog);
            }
        }
    }

    /**
     * Pages the map's files out (SeriesMaps#pageOut) every 64 puts and at the end of a sync that
     * put any: a put touches pages of a random segment, and the kernel maps the cached pages
     * around each one it faults in (64 KiB a put measured: 66 MiB resident after 1,024 puts into a
     * million-series generation), so the map's pages are let go soon after they are written
     * instead of piling up to the file's size. Within a sync the ranges found at its first
     * page-out are used (one madvise call a range); its end reads them again. A bulk backlog (an
     * import's series, put at its close) touches most of the map whatever is done: paged out even
     * every 65,536 puts, its pages were read back again and again (a million-series import took 4
     * s more of system CPU), so it is paged out at its end only.
     */
    private void pageOutMapWhenDue(boolean synced, long backlog) {
        if (synced ? putsSincePageOut > 0 : putsSincePageOut >= 64 && backlog <= 65_536) {
            maps.pageOut(synced);
            putsSincePageOut = 0;
        }
    }

    private void putInMap(int ref, long backlog) {
        maps.put(LabelText.format(series.labels(ref)), ref, backlog);
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
        Selection sel = selected.get(matchers);
        if (sel == null) {
            int[] refs = postings.select(matchers, series);
            Labels[] byRefOrder = new Labels[refs.length];
            boolean inOrder = true;
            for (int i = 0; i < refs.length; i++) {
                byRefOrder[i] = series.labels(refs[i]);
                inOrder = inOrder && (i == 0 || byRefOrder[i - 1].compareTo(byRefOrder[i]) < 0);
            }
            // Churned series (a run's series made one after another) are mostly in label order already.
            sel = inOrder ? new Selection(refs, refs, byRefOrder) : sortedByLabels(refs, byRefOrder);
            if (refs.length > SELECT_CACHE_MAX_SERIES) {
                return sel; // a select of (nearly) everything: not worth holding its arrays
            }
            // The cache's labels are decoded copies: bound what all its answers hold together.
            if (selected.size() >= SELECT_CACHE || selectedSeries + refs.length > SELECT_CACHE_MAX_SERIES) {
                selected.clear();
                selectedSeries = 0;
            }
            selected.put(List.copyOf(matchers), sel);
            selectedSeries += refs.length;
        }
        return sel;
    }

    private static Selection sortedByLabels(int[] refs, Labels[] byRefOrder) {
        Integer[] order = new Integer[refs.length];
        for (int i = 0; i < refs.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> byRefOrder[a].compareTo(byRefOrder[b]));
        int[] byLabels = new int[refs.length];
        Labels[] labels = new Labels[refs.length];
        for (int i = 0; i < refs.length; i++) {
            byLabels[i] = refs[order[i]];
            labels[i] = byRefOrder[order[i]];
        }
        return new Selection(refs, byLabels, labels);
    }

    /**
     * Lets go of the cached selections and decoded symbols, for an idle server: a million
     * series' widest cached selections held ~1.8 MB of label sets, which the serial collector's
     * sizing makes ~3 MiB of resident heap. The next select makes its answer again.
     */
    public synchronized void releaseIdleCaches() {
        selected.clear();
        selectedSeries = 0;
        symbols.dropCache();
        scratch.pageOut();
        if (maps != null) {
            maps.pageOut(true);
            putsSincePageOut = 0;
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
