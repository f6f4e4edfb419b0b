package dev.sandglass.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A tmpfs of a few MB mounted for one test (root only; CI runs as root), and a filler file that
 * takes its free space and gives it back. Where it cannot mount, the test is skipped with the
 * reason printed.
 */
final class SmallFileSystem implements AutoCloseable {
    final Path dir;
    private final Path filler;

    private SmallFileSystem(Path dir) {
        this.dir = dir;
        this.filler = dir.resolve("filler");
    }

    static SmallFileSystem mount(Path at, int megabytes) throws Exception {
        Files.createDirectories(at);
        String why = run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", at.toString());
        if (why != null) {
            String msg = "skipped: cannot mount a " + megabytes + " MB tmpfs at " + at + " (" + why + "); run as root to test a full disk";
            System.out.println(msg);
            Assumptions.abort(msg);
        }
        return new SmallFileSystem(at);
    }

    /** Null when the command succeeded, else what it said. */
    private static String run(String... cmd) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + out;
    }

    /** Writes the filler until the file system refuses (ENOSPC); returns the bytes it took. */
    long fill() throws IOException {
        byte[] chunk = new byte[64 << 10];
        java.util.Arrays.fill(chunk, (byte) 1);
        long n = 0;
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(chunk);
                n += chunk.length;
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space")) {
                throw e;
            }
        }
        // Page-sized leftovers too: nothing but the store's own reserve may be free.
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(chunk, 0, 4096);
                n += 4096;
            }
        } catch (IOException e) {
            // full
        }
        return n;
    }

    void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    long usable() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    @Override
    public void close() throws Exception {
        String why = run("umount", "-l", dir.toString());
        if (why != null) {
            System.out.println("could not unmount " + dir + ": " + why);
        }
    }
}
