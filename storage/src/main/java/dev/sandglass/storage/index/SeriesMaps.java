package dev.sandglass.storage.index;

import dev.sandglass.storage.api.StorageException;
import dev.sandglass.storage.util.DiskSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.openhft.chronicle.map.ChronicleMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index's Chronicle Maps (canonical label text -> ref), one file per generation. New series go
 * into the newest; when it is 3/4 full a new generation, twice its capacity, is started BESIDE it,
 * and the older ones are kept as they are: nothing is copied, so growing costs the creation of one
 * file instead of putting every entry again (0.2-0.4 s of CPU a doubling at 50k-100k series,
 * measured by IndexGrowthBench), and no moment needs room for two copies. The union of the
 * generations is the map; each series is in exactly one of them. The process never looks a
 * series up in them (SeriesIndex's in-memory table does that): they are the log's redundant copy,
 * read whole at open when the log is damaged. Not thread-safe: SeriesIndex guards it.
 */
final class SeriesMaps implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SeriesMaps.class);
    private static final Pattern GEN_FILE = Pattern.compile("series-(\\d+)-(\\d+)\\.cm");

    record Gen(int number, long capacity, Path file, ChronicleMap<CharSequence, Long> map) {
    }

    private final Path dir;
    private final DiskSpace space;
    /** Oldest first; the last is the one written. */
    private final List<Gen> gens = new ArrayList<>();
    /** Where the generations are mapped, for pageOut; null to be read again. */
    private long[] mappedRanges;
    /** Entries in the newest generation (Chronicle's own count walks every segment). */
    private long newestEntries;

    SeriesMaps(Path dir, DiskSpace space) {
        this.dir = dir;
        this.space = space;
    }

    /** The generation files in {@code dir}, oldest first. */
    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> GEN_FILE.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(SeriesMaps::number)).toList();
        }
    }

    static int number(Path file) {
        return Integer.parseInt(parts(file).group(1));
    }

    static long capacity(Path file) {
        return Long.parseLong(parts(file).group(2));
    }

    private static Matcher parts(Path file) {
        Matcher m = GEN_FILE.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a series map generation: " + file);
        }
        return m;
    }

    /** Opens an existing generation as the newest one. */
    void open(Path file) throws IOException {
        ChronicleMap<CharSequence, Long> map = openMap(file, capacity(file));
        gens.add(new Gen(number(file), capacity(file), file, map));
        newestEntries = map.longSize();
        mappedRanges = null;
    }

    /** Starts a new, empty generation of {@code capacity} entries after the newest (an old file of that name is replaced). */
    void start(long capacity) {
        int number = gens.isEmpty() ? 0 : gens.get(gens.size() - 1).number() + 1;
        start(number, capacity);
    }

    void start(int number, long capacity) {
        Path file = dir.resolve("series-" + number + "-" + capacity + ".cm");
        try {
            Files.deleteIfExists(file);
            gens.add(new Gen(number, capacity, file, openMap(file, capacity)));
            newestEntries = 0;
            mappedRanges = null;
        } catch (IOException e) {
            throw new StorageException("start series index generation " + file + ": " + e.getMessage(), e);
        }
    }

    boolean isEmpty() {
        return gens.isEmpty();
    }

    /** The number of the newest generation, or -1. */
    int newestNumber() {
        return gens.isEmpty() ? -1 : gens.get(gens.size() - 1).number();
    }

    /** Entries over every generation. */
    long size() {
        long n = 0;
        for (Gen g : gens) {
            n += g.map().longSize();
        }
        return n;
    }

    /** Capacity over every generation (each is kept under 3/4 of its own). */
    long capacity() {
        long n = 0;
        for (Gen g : gens) {
            n += g.capacity();
        }
        return n;
    }

    void forEach(BiConsumer<CharSequence, Long> action) {
        for (Gen g : gens) {
            g.map().forEach(action);
        }
    }

    /** Removes {@code key} from whichever generation holds it. */
    void remove(String key) {
        for (Gen g : gens) {
            g.map().remove(key);
        }
        newestEntries = gens.get(gens.size() - 1).map().longSize();
    }

    /**
     * Puts an entry into the newest generation, first starting a new one when it is 3/4 full:
     * twice its capacity, or more when {@code backlog} entries (this one included) are on their way.
     */
    void put(CharSequence key, long ref, long backlog) {
        Gen newest = gens.get(gens.size() - 1);
        if (newestEntries + 1 > newest.capacity() * 3 / 4) {
            long cap = newest.capacity() * 2;
            while (backlog > cap * 3 / 4) {
                cap *= 2;
            }
            space.ensure(bytesFor(cap, newest));
            start(cap);
            LOG.info("series index: generation {} of capacity {} started beside {} older", newestNumber(), cap, gens.size() - 1);
        }
        gens.get(gens.size() - 1).map().put(key, ref);
        newestEntries++;
    }

    /** The disk a generation of {@code cap} entries takes, by the size of {@code like}'s file. */
    private static long bytesFor(long cap, Gen like) {
        try {
            return Files.size(like.file()) / like.capacity() * cap + (64L << 10);
        } catch (IOException e) {
            return 64L << 10;
        }
    }

    /** Closes and deletes every generation but the newest. */
    void dropOlder() throws IOException {
        while (gens.size() > 1) {
            Gen g = gens.remove(0);
            mappedRanges = null;
            g.map().close();
            Files.deleteIfExists(g.file());
        }
    }

    /**
     * Pages out what this process has of the generations' files (MappedFilePages): a put touches
     * pages of a random segment (and the kernel maps the cached pages around each one it faults
     * in), so a map the process writes to would otherwise end up resident whole (66-74 MiB of a
     * million-series generation after ~2,000 new series). {@code again} reads where the files
     * are mapped again instead of using the ranges found last time.
     */
    long pageOut(boolean again) {
        if (again || mappedRanges == null) {
            mappedRanges = MappedFilePages.ranges(heldFiles());
        }
        long asked = MappedFilePages.pageOut(mappedRanges);
        if (asked < 0) {
            mappedRanges = null; // a range went away (Chronicle maps a grown map anew): found again next time
            return 0;
        }
        return asked;
    }

    /** The generation files held, oldest first. */
    List<Path> heldFiles() {
        return gens.stream().map(Gen::file).toList();
    }

    @Override
    public void close() {
        RuntimeException failed = null;
        for (Gen g : gens) {
            try {
                g.map().close();
            } catch (RuntimeException e) {
                failed = e;
            }
        }
        gens.clear();
        mappedRanges = null;
        if (failed != null) {
            throw failed;
        }
    }

    static ChronicleMap<CharSequence, Long> openMap(Path file, long capacity) throws IOException {
        return ChronicleMap.of(CharSequence.class, Long.class)
                .name("sandglass-series")
                .averageKeySize(120)
                .entries(capacity)
                .createPersistedTo(file.toFile());
    }
}
