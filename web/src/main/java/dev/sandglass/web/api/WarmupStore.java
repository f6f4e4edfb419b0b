package dev.sandglass.web.api;

import dev.sandglass.storage.Db;
import dev.sandglass.storage.DbOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warm-up's synthetic store, written once for each build of the jar and copied for every
 * start after that. Writing it (about 0.5 million samples encoded, and the optimising compiler
 * compiling the encoder for them: `ValueCodec.writeInts` alone took 1-2.5 s in that compiler on
 * this 2-core machine) was a third of the warm-up's CPU and none of it on the query path; a copy
 * of the files is a few milliseconds. The copy is kept in the temp directory under a name taken
 * from the jar's size and time (another build, another name), never in a user's data dir.
 *
 * <p>What is kept are the bulk-loaded blocks (the fleet's hours and the capacity history) and
 * the fleet's last values; the two minutes the collector-like appender writes go into each copy
 * afresh, so that queries still read them from the in-memory head, as a live store's latest.
 */
final class WarmupStore {
    private static final Logger LOG = LoggerFactory.getLogger(WarmupStore.class);
    static final long RETENTION_MS = 100L * 365 * 24 * 3_600_000L;
    /** In a kept copy: the bulk's last time on the first line, then the running series' last values. */
    static final String TAILS = "warmup-tails.txt";

    private WarmupStore() {
    }

    /**
     * Leaves the bulk-loaded store in {@code dir} (new, empty) and returns its tails: copied from
     * {@code kept} when that holds one, else written (and then copied to {@code kept}, when given).
     */
    static WarmupFleet.Bulk prepare(Path dir, Path kept, int sandboxes, int hours) throws IOException {
        // Only a copy this user wrote: the temp dir is shared, and a store left there by another is not read.
        if (kept != null && Files.isRegularFile(kept.resolve(TAILS)) && Files.getOwner(kept).equals(Files.getOwner(dir))) {
            try {
                copyTree(kept, dir);
                Files.setLastModifiedTime(kept, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis())); // in use: see prune
                List<String> lines = Files.readAllLines(dir.resolve(TAILS), StandardCharsets.UTF_8);
                List<WarmupFleet.Tail> tails = new ArrayList<>();
                for (String l : lines.subList(1, lines.size())) {
                    tails.add(WarmupFleet.Tail.parse(l));
                }
                return new WarmupFleet.Bulk(tails, Long.parseLong(lines.get(0)));
            } catch (IOException | RuntimeException e) {
                LOG.warn("the warm-up's kept store {} is unusable ({}): writing it again", kept, e.toString());
                deleteTree(kept);
                deleteTree(dir);
                Files.createDirectories(dir);
            }
        }
        WarmupFleet.Bulk bulk;
        try (Db db = Db.open(DbOptions.defaults(dir).withRetention(RETENTION_MS, 0))) {
            bulk = WarmupFleet.bulk(db, sandboxes, hours);
            // The capacity report reads rollups, not raw samples: its own history, ending where the engine's fleet's hours end.
            CapacityWarmup.fill(db, bulk.headEnd() - hours * 3_600_000L, Math.min(sandboxes, 12));
        }
        if (kept != null) {
            keep(dir, kept, bulk);
        }
        return bulk;
    }

    /** Where this jar's copy is kept under {@code parent}; null when the classes do not come from a jar (tests). */
    static Path keptIn(Path parent, int sandboxes, int hours) {
        try {
            Path jar = Path.of(WarmupStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                return null;
            }
            return parent.resolve("sandglass-warmup-" + Long.toHexString(Files.size(jar)) + "-"
                    + Long.toHexString(Files.getLastModifiedTime(jar).toMillis()) + "-" + sandboxes + "x" + hours
                    + (WarmupFleet.INTERVAL_S == 1 ? "" : "i" + WarmupFleet.INTERVAL_S));
        } catch (Exception e) { // no code source, or not a file
            return null;
        }
    }

    /** Kept copies unused this long, and working copies left this long (by a serve killed while warming), are deleted. */
    static final long STALE_MS = 7L * 24 * 3_600_000L;

    /**
     * Deletes the warm-up stores under {@code parent} owned by {@code mine} and untouched for
     * {@link #STALE_MS}, but {@code kept}: the copies of jars no longer run (every build makes one, ~2 MB on disk)
     * and working copies a killed serve could not delete. Returns how many.
     */
    static int prune(Path parent, Path kept, java.nio.file.attribute.UserPrincipal mine, long nowMs) {
        int n = 0;
        try (Stream<Path> s = Files.list(parent)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().startsWith("sandglass-warmup-") && !p.equals(kept) && Files.isDirectory(p)
                        && Files.getOwner(p).equals(mine)
                        && Files.getLastModifiedTime(p).toMillis() < nowMs - STALE_MS) {
                    deleteTree(p);
                    n++;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not prune old warm-up stores in {}: {}", parent, e.toString());
        }
        return n;
    }

    /** Copies {@code dir} to {@code kept} under a temporary name, then renames it: a concurrent start sees all of it or none. */
    private static void keep(Path dir, Path kept, WarmupFleet.Bulk bulk) {
        Path tmp = kept.resolveSibling(kept.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            copyTree(dir, tmp);
            List<String> lines = new ArrayList<>();
            lines.add(Long.toString(bulk.last()));
            bulk.tails().forEach(t -> lines.add(t.line()));
            Files.write(tmp.resolve(TAILS), lines, StandardCharsets.UTF_8);
            Files.move(tmp, kept, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            deleteTree(tmp); // another start kept one first
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not keep the warm-up's store in {}: {}", kept, e.toString());
            deleteTree(tmp);
        }
    }

    /** Copies the store's files, leaving out its lock and the pages of zeros (its queue files are mostly unwritten). */
    static void copyTree(Path from, Path to) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(from)) {
            all = s.toList();
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        for (Path p : all) {
            Path q = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(q);
            } else if (!p.getFileName().toString().equals("LOCK")) {
                sparseCopy(p, q, buf);
            }
        }
    }

    private static void sparseCopy(Path from, Path to, ByteBuffer buf) throws IOException {
        try (FileChannel in = FileChannel.open(from); FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            long pos = 0;
            long size = in.size();
            while (pos < size) {
                buf.clear();
                int n = in.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                if (!zeros(buf.array(), n)) {
                    buf.flip();
                    out.write(buf, pos);
                }
                pos += n;
            }
            if (out.size() < size) { // the tail of zeros, as a hole
                out.write(ByteBuffer.allocate(1), size - 1);
            }
        }
    }

    private static final byte[] ZEROS = new byte[1 << 16];

    private static boolean zeros(byte[] b, int n) {
        return java.util.Arrays.mismatch(b, 0, n, ZEROS, 0, n) < 0; // an intrinsic: fast before any compiling
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete the warm-up store {}: {}", dir, e.toString());
        }
    }
}
