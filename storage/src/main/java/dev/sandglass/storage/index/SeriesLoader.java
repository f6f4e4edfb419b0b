package dev.sandglass.storage.index;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.segment.Damage;
import dev.sandglass.storage.util.DiskSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open path of {@link SeriesIndex}: puts the series of the log ({@link #addFromLog}) and of
 * the map's generations into memory, and brings the maps back in line with the log: opened as
 * they are, refilled when they lag it, reconciled with it, or moved aside and rebuilt from it when
 * damaged. A read-only index reads private copies of the maps instead ({@link #loadCopies}). Used
 * once, by the index's constructor, which takes the maps it leaves ({@link #maps}), also when the
 * open fails (to close them).
 */
final class SeriesLoader {
    /** The index's logger: its open writes the lines it always wrote, under the same name. */
    private static final Logger LOG = LoggerFactory.getLogger(SeriesIndex.class);

    /** Puts a series read at open into the index's memory (tables and postings). */
    interface Add {
        void add(int ref, Labels labels);
    }

    private final Path dir;
    private final boolean readOnly;
    private final DiskSpace space;
    private final SeriesTable series;
    private final Add add;
    /** The refs the log named. */
    private final BitSet fromLog = new BitSet();
    /** Null when read-only. */
    private SeriesLog log;
    private SeriesMaps maps;

    SeriesLoader(Path dir, boolean readOnly, DiskSpace space, SeriesTable series, Add add) {
        this.dir = dir;
        this.readOnly = readOnly;
        this.space = space;
        this.series = series;
        this.add = add;
    }

    /** The maps opened (null when read-only: their copies are closed once read). */
    SeriesMaps maps() {
        return maps;
    }

    /** For the log's reader: the log goes straight into the compact tables, one record at a time. */
    void addFromLog(String text, long ref) {
        if (fromLog.get((int) ref)) {
            LOG.error("series index log: ref {} is written twice; the first is kept", ref);
            return;
        }
        Labels l = parse(text, ref);
        if (l != null) {
            add.add((int) ref, l);
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
    void openOrRebuild(SeriesLog log, List<Path> files, long initialCapacity, Damage damage) throws IOException {
        this.log = log;
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
            reconcile();
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
    private void reconcile() {
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
                    add.add(ref, l);
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
                MapSync.put(maps, series, ref, left--);
            }
        }
    }

    /**
     * Read-only: Chronicle Map opens its file for writing, which fails on a data dir the user may
     * only read (and would write to one it may). Everything is held in memory once loaded, so
     * private copies are opened, loaded and deleted; the originals are only ever read.
     */
    void loadCopies(List<Path> files) throws IOException {
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
            reconcile();
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
}
