package dev.sandglass.storage.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileDescriptor;
import java.io.RandomAccessFile;
import java.lang.reflect.Field;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.core.Jvm;
import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.MSyncFlag;
import net.openhft.posix.PosixAPI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in does the store's POSIX calls itself and loads the jnr-ffi binding only for the rest. */
class LazyPosixTest {
    private static final int PAGE = 4096;

    @TempDir
    Path dir;

    @Test
    void fallocateMsyncAndMadviseWorkWithoutLoadingJnr() throws Exception {
        PosixAPI posix = LazyPosix.standIn();
        Path file = dir.resolve("f");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            // fallocate reserves the blocks and extends the file, as Chronicle Map relies on.
            assertEquals(0, posix.fallocate(fd(raf.getFD()), 0, 0, 4 * PAGE));
            assertEquals(4 * PAGE, raf.length());
            MappedByteBuffer map = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, 4 * PAGE);
            map.put(PAGE, (byte) 7);
            assertEquals(0, posix.msync(Jvm.address(map), 4 * PAGE, MSyncFlag.MS_SYNC));
            assertEquals(7, Files.readAllBytes(file)[PAGE], "msync wrote the page through");
            // MADV_REMOVE frees a shared mapping's page: it reads zeros afterwards.
            assertEquals(0, posix.madvise(Jvm.address(map) + PAGE, PAGE, MAdviseFlag.MADV_REMOVE));
            assertEquals(0, map.get(PAGE));
        }
        assertFalse(LazyPosix.loadedReal(posix), "the store's calls needed no jnr-ffi");
    }

    @Test
    void aFailedCallReportsLikeTheCLibrary() {
        PosixAPI posix = LazyPosix.standIn();
        assertEquals(-1, posix.msync(1, PAGE, MSyncFlag.MS_SYNC.value()), "an unaligned address is refused");
        assertFalse(LazyPosix.loadedReal(posix));
    }

    @Test
    void anyOtherCallLoadsTheRealBinding() {
        PosixAPI posix = LazyPosix.standIn();
        assertEquals(ProcessHandle.current().pid(), posix.getpid());
        assertTrue(LazyPosix.loadedReal(posix));
    }

    private static int fd(FileDescriptor fd) throws ReflectiveOperationException {
        Field f = FileDescriptor.class.getDeclaredField("fd");
        f.setAccessible(true);
        return f.getInt(fd);
    }
}
