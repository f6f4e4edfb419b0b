package dev.sandglass.storage.index;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.Matcher;
import dev.sandglass.storage.api.SeriesLimits;
import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.segment.Damage;
import dev.sandglass.storage.util.DiskSpace;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.openhft.chronicle.map.ChronicleMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Series refs by label set: persisted in a Chronicle Map (canonical label text -> ref) and in a
 * checksummed log the map is rebuilt from when damaged (SeriesLog), with the label sets (SeriesTable,
 * over interned Symbols) and an inverted index (Postings) in compact form in memory, rebuilt from
 * the log at open. Sandbox
 * churn mints series without end, so the map is never allowed to fill: at 3/4 of its capacity a
 * new generation with twice the capacity is written, entries are copied, and the old file goes.
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
    private static final Pattern GEN_FILE = Pattern.compile("series-(\\d+)-(\\d+)\\.cm");
    public static final long DEFAULT_CAPACITY = 4_096;

    private final Path dir;
    private final boolean readOnly;
    private final DiskSpace space;
    private ChronicleMap<CharSequence, Long> map;
    private SeriesLog log;
    private long capacity;
    private int generation;
    /** Entries in the map (Chronicle's own count walks every segment). */
    private long mapEntries;
    /** Refs below this are in the log (flushed). */
    private int logged;
    /** Refs below this are in the map (or are gaps). */
    private int mapped;
    /** A batch is written early past this many bytes (an import adds series by the hundred thousand). */
    private static final int FLUSH_BYTES = 1 << 20;
    private final Symbols symbols = new Symbols();
    private final SeriesTable series = new SeriesTable(symbols);
    private final Postings postings = new Postings();
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
            Path latest = null;
            int latestGen = -1;
            long latestCap = initialCapacity;
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    var m = GEN_FILE.matcher(p.getFileName().toString());
                    if (m.matches() && Integer.parseInt(m.group(1)) > latestGen) {
                        latestGen = Integer.parseInt(m.group(1));
                        latestCap = Long.parseLong(m.group(2));
                        latest = p;
                    }
                }
            }
            generation = Math.max(latestGen, 0);
            capacity = latestCap;
            Damage damage = new Damage(dir.toAbsolutePath().getParent().resolve("damaged"), readOnly);
            // The log goes straight into the compact tables, one record at a time: a million series
            // never exist as a million Strings at once.
            BitSet fromLog = new BitSet();
            if (readOnly) {
                // A complete log names every series: the map (whose first open in a process costs
                // seconds of code generation) is read only when the log cannot stand alone.
                if (!SeriesLog.readOnly(dir, damage, (text, ref) -> addFromLog(text, ref, fromLog))) {
                    loadCopy(latest, fromLog);
                }
            } else {
                log = SeriesLog.open(dir, damage, (text, ref) -> addFromLog(text, ref, fromLog));
                openOrRebuild(latest, latestGen, damage, fromLog);
            }
            if (!readOnly) {
                removeOtherGenerations();
                mapEntries = map.longSize();
            }
            logged = series.size();
            mapped = series.size();
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
     * Opens the newest map; one Chronicle cannot open or read (torn, scribbled header, cut short) is
     * moved aside into damaged/ and a new generation is started, to be filled from the log. When
     * the log was read whole and the map holds as many entries, the map is not walked: its pages
     * (hundreds of bytes a series) would otherwise all become resident at every start.
     */
    private void openOrRebuild(Path latest, int latestGen, Damage damage, BitSet fromLog) throws IOException {
        Path f = latest != null ? latest : file(generation, capacity);
        int logged = fromLog.cardinality();
        try {
            map = openMap(f, capacity);
            long inMap = map.longSize();
            if (!log.damaged() && inMap == logged) {
                return;
            }
            if (!log.damaged() && inMap < logged) {
                refill(latestGen, inMap, logged);
                return;
            }
            reconcile(fromLog);
        } catch (IOException | RuntimeException e) {
            if (map != null) {
                try {
                    map.close();
                } catch (RuntimeException ignored) {
                    // already damaged
                }
                map = null;
            }
            Files.createDirectories(damage.dir());
            Path aside = damage.dir().resolve(f.getFileName() + "." + System.currentTimeMillis() + ".damaged");
            Files.move(f, aside);
            LOG.error("series index {} is damaged ({}): moved aside to {}; rebuilding it from {}", f, e.getMessage(), aside,
                    dir.resolve(SeriesLog.FILE));
            generation = latestGen + 1;
            map = openMap(file(generation, capacity), capacity);
            mapEntries = 0;
            fillMap(new BitSet());
        }
    }

    /**
     * The map lags a whole log: it is filled after the log, so a kill leaves it short, possibly
     * inside a put whose segment lock the dead process still holds (Chronicle would wait for it,
     * then fail). Such a map is not walked: a new generation, sized for every series, is filled
     * from the log's series and the old file goes.
     */
    private void refill(int latestGen, long inMap, int logged) throws IOException {
        long cap = capacity;
        while (logged > cap * 3 / 4) {
            cap *= 2;
        }
        if (inMap > 0 || cap != capacity) {
            map.close();
            map = null;
            generation = latestGen + 1;
            capacity = cap;
            Path next = file(generation, capacity);
            Files.deleteIfExists(next);
            map = openMap(next, capacity);
        }
        LOG.info("series index map holds {} of the log's {} series: filling it from {}", inMap, logged, dir.resolve(SeriesLog.FILE));
        mapEntries = 0;
        fillMap(new BitSet());
    }

    /**
     * Walks the map beside what the log gave: the log's (checksummed) text wins where both have a
     * ref; a ref only the map has is taken and logged (a store from before the log gets one here);
     * then every series the map lacks is put into it.
     */
    private void reconcile(BitSet fromLog) {
        BitSet inMap = new BitSet();
        List<String> wrong = new ArrayList<>();
        map.forEach((k, v) -> {
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
            wrong.forEach(map::remove);
            mapEntries = map.longSize();
            fillMap(inMap);
        }
    }

    /** Puts every series held in memory and not in {@code inMap} into the map. */
    private void fillMap(BitSet inMap) {
        for (int ref = 0; ref < series.size(); ref++) {
            if (series.has(ref) && !inMap.get(ref)) {
                putInMap(ref);
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

    private Path file(int gen, long cap) {
        return dir.resolve("series-" + gen + "-" + cap + ".cm");
    }

    private static ChronicleMap<CharSequence, Long> openMap(Path file, long capacity) throws IOException {
        return ChronicleMap.of(CharSequence.class, Long.class)
                .name("sandglass-series")
                .averageKeySize(120)
                .entries(capacity)
                .createPersistedTo(file.toFile());
    }

    /**
     * Read-only: Chronicle Map opens its file for writing, which fails on a data dir the user may
     * only read (and would write to one it may). Everything is held in memory once loaded, so a
     * private copy is opened, loaded and deleted; the original is only ever read.
     */
    private void loadCopy(Path latest, BitSet fromLog) throws IOException {
        if (latest == null) {
            return;
        }
        Path copy = Files.createTempFile("sandglass-index-", ".cm");
        try {
            Files.copy(latest, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            map = openMap(copy, capacity);
            reconcile(fromLog);
        } catch (IOException | RuntimeException e) {
            LOG.error("series index {} cannot be read ({}); the series come from {} alone", latest, e.getMessage(), dir.resolve(SeriesLog.FILE));
        } finally {
            if (map != null) {
                map.close();
                map = null;
            }
            Files.deleteIfExists(copy);
        }
    }

    private void removeOtherGenerations() throws IOException {
        if (readOnly) {
            return;
        }
        Path current = file(generation, capacity);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                if (GEN_FILE.matcher(p.getFileName().toString()).matches() && !p.equals(current)) {
                    Files.deleteIfExists(p);
                }
            }
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
        while (true) {
            synchronized (this) {
                if (map == null || mapped >= logged) {
                    return;
                }
                // The whole backlog's room at once: an import's hundred thousand series would
                // otherwise copy the map at every doubling on the way.
                long need = mapEntries + (logged - mapped);
                if (need > capacity * 3 / 4) {
                    long cap = capacity;
                    while (need > cap * 3 / 4) {
                        cap *= 2;
                    }
                    grow(cap);
                }
                int to = Math.min(logged, mapped + 1024);
                for (int ref = mapped; ref < to; ref++) {
                    if (series.has(ref)) {
                        putInMap(ref);
                    }
                }
                mapped = to;
            }
        }
    }

    private void putInMap(int ref) {
        if (mapEntries + 1 > capacity * 3 / 4) {
            grow(capacity * 2);
        }
        map.put(LabelText.format(series.labels(ref)), (long) ref);
        mapEntries++;
    }

    /** Rotates to a map of {@code newCap} entries; the new file is complete before the old one is removed. */
    private void grow(long newCap) {
        int newGen = generation + 1;
        Path next = file(newGen, newCap);
        try {
            // The new map is filled before the old one goes: room for both.
            space.ensure(2 * Files.size(file(generation, capacity)));
            Files.deleteIfExists(next);
            ChronicleMap<CharSequence, Long> bigger = openMap(next, newCap);
            map.forEach(bigger::put);
            ChronicleMap<CharSequence, Long> old = map;
            Path oldFile = file(generation, capacity);
            map = bigger;
            generation = newGen;
            capacity = newCap;
            old.close();
            Files.deleteIfExists(oldFile);
            LOG.info("series index grown to capacity {} ({} series)", newCap, series.count());
        } catch (IOException e) {
            throw new StorageException("grow series index in " + dir + " to " + newCap + " entries: " + e.getMessage(), e);
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

    public synchronized long capacity() {
        return capacity;
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
            int[] refs = postings.select(matchers, series, symbols);
            Labels[] byRefOrder = new Labels[refs.length];
            Integer[] order = new Integer[refs.length];
            for (int i = 0; i < refs.length; i++) {
                byRefOrder[i] = series.labels(refs[i]);
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> byRefOrder[a].compareTo(byRefOrder[b]));
            int[] byLabels = new int[refs.length];
            Labels[] labels = new Labels[refs.length];
            for (int i = 0; i < refs.length; i++) {
                byLabels[i] = refs[order[i]];
                labels[i] = byRefOrder[order[i]];
            }
            sel = new Selection(refs, byLabels, labels);
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

    public File file() {
        return file(generation, capacity).toFile();
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
        if (map != null) {
            map.close();
            map = null;
        }
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                LOG.warn("closing {}: {}", dir.resolve(SeriesLog.FILE), e.getMessage());
            }
            log = null;
        }
    }
}
