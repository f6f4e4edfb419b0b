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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.openhft.chronicle.map.ChronicleMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Series refs by label set: persisted in a Chronicle Map (canonical label text -> ref) and in a
 * checksummed log the map is rebuilt from when damaged (SeriesLog), with the label sets and an
 * inverted index (Postings) in memory, rebuilt at open. Sandbox
 * churn mints series without end, so the map is never allowed to fill: at 3/4 of its capacity a
 * new generation with twice the capacity is written, entries are copied, and the old file goes.
 * Thread-safe.
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
    private final List<Labels> byRef = new ArrayList<>();
    private final Map<Labels, Integer> refs = new HashMap<>();
    private final Postings postings = new Postings();

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
            Map<Long, String> fromLog = new TreeMap<>();
            Map<Long, String> fromMap = new TreeMap<>();
            if (readOnly) {
                // A complete log names every series: the map (whose first open in a process costs
                // seconds of code generation) is read only when the log cannot stand alone.
                if (!SeriesLog.readOnly(dir, damage, fromLog)) {
                    loadCopy(latest, fromMap);
                }
            } else {
                log = SeriesLog.open(dir, false, damage, fromLog);
                openOrRebuild(latest, latestGen, damage, fromMap);
            }
            reconcile(fromLog, fromMap);
            if (!readOnly) {
                removeOtherGenerations();
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            if (e instanceof StorageException se) {
                throw se;
            }
            throw new StorageException("open series index in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the newest map; one Chronicle cannot open or read (torn, scribbled header, cut short) is
     * moved aside into damaged/ and a new generation is started, to be filled from the log.
     */
    private void openOrRebuild(Path latest, int latestGen, Damage damage, Map<Long, String> into) throws IOException {
        Path f = latest != null ? latest : file(generation, capacity);
        try {
            map = openMap(f, capacity);
            map.forEach((k, v) -> into.put(v, k.toString()));
        } catch (IOException | RuntimeException e) {
            if (map != null) {
                try {
                    map.close();
                } catch (RuntimeException ignored) {
                    // already damaged
                }
                map = null;
            }
            into.clear();
            Files.createDirectories(damage.dir());
            Path aside = damage.dir().resolve(f.getFileName() + "." + System.currentTimeMillis() + ".damaged");
            Files.move(f, aside);
            LOG.error("series index {} is damaged ({}): moved aside to {}; rebuilding it from {}", f, e.getMessage(), aside,
                    dir.resolve(SeriesLog.FILE));
            generation = latestGen + 1;
            map = openMap(file(generation, capacity), capacity);
        }
    }

    /**
     * One series per ref from the log and the map: the log's (checksummed) text where both have
     * one; then each is completed from the other (a store from before the log gets one here).
     */
    private void reconcile(Map<Long, String> fromLog, Map<Long, String> fromMap) {
        TreeMap<Long, String> all = new TreeMap<>(fromMap);
        for (var e : fromLog.entrySet()) {
            String m = fromMap.get(e.getKey());
            if (m != null && !m.equals(e.getValue())) {
                LOG.error("series index: the map's entry for ref {} differs from the log's; the log's is kept", e.getKey());
                if (!readOnly) {
                    map.remove(m);
                }
            }
            all.put(e.getKey(), e.getValue());
        }
        for (var e : all.entrySet()) {
            int ref = e.getKey().intValue();
            Labels l;
            try {
                l = LabelText.parse(e.getValue());
            } catch (RuntimeException ex) {
                LOG.error("series index: ref {} has unreadable labels ({}); its samples cannot be named and are left out", ref, ex.getMessage());
                continue;
            }
            while (byRef.size() < ref) {
                byRef.add(null); // a gap: a series lost to damage in both map and log
            }
            addInMemory(ref, l);
            if (!readOnly) {
                if (!fromLog.containsKey(e.getKey())) {
                    log.append(ref, e.getValue());
                }
                if (!e.getValue().equals(fromMap.get(e.getKey()))) {
                    if (map.longSize() + 1 > capacity * 3 / 4) {
                        grow();
                    }
                    map.put(e.getValue(), (long) ref);
                }
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
    private void loadCopy(Path latest, Map<Long, String> into) throws IOException {
        if (latest == null) {
            return;
        }
        Path copy = Files.createTempFile("sandglass-index-", ".cm");
        try {
            Files.copy(latest, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            map = openMap(copy, capacity);
            map.forEach((k, v) -> into.put(v, k.toString()));
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
        if (byRef.size() == ref) {
            byRef.add(l);
        } else {
            byRef.set(ref, l);
        }
        refs.put(l, ref);
        postings.add(ref, l);
    }

    /** The ref of a label set, adding it (durably, before returning) when new. */
    public synchronized int ref(Labels labels) {
        Integer r = refs.get(labels);
        if (r != null) {
            return r;
        }
        if (readOnly) {
            throw new StorageException("the store is open read-only: cannot add series " + labels);
        }
        String tooLarge = SeriesLimits.check(labels);
        if (tooLarge != null) {
            throw new StorageException("cannot add series: " + tooLarge);
        }
        space.ensure(64 << 10);
        if (map.longSize() + 1 > capacity * 3 / 4) {
            grow();
        }
        int ref = byRef.size();
        String text = LabelText.format(labels);
        log.append(ref, text); // first: a map cut short by a kill is rebuilt from the log
        map.put(text, (long) ref);
        addInMemory(ref, labels);
        return ref;
    }

    /** Rotates to a map twice the size; the new file is complete before the old one is removed. */
    private void grow() {
        long newCap = capacity * 2;
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
            LOG.info("series index grown to capacity {} ({} series)", newCap, byRef.size());
        } catch (IOException e) {
            throw new StorageException("grow series index in " + dir + " to " + newCap + " entries: " + e.getMessage(), e);
        }
    }

    public synchronized Labels labels(int ref) {
        return byRef.get(ref);
    }

    public synchronized int size() {
        return byRef.size();
    }

    public synchronized long capacity() {
        return capacity;
    }

    /** Refs of series matching every matcher, ascending; empty matchers select nothing. */
    public synchronized int[] select(List<Matcher> matchers) {
        return postings.select(matchers, byRef);
    }

    public File file() {
        return file(generation, capacity).toFile();
    }

    @Override
    public synchronized void close() {
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
