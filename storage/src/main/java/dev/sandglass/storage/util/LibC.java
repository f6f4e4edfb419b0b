package dev.sandglass.storage.util;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The three C library calls {@link LazyPosix} makes itself, bound by JNA's direct mapping (JNI
 * registration: no generated classes). Pointers and sizes are 64-bit longs (Linux on 64 bits).
 */
final class LibC {
    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    static native int fallocate64(int fd, int mode, long offset, long length);

    static native int msync(long address, long length, int flags);

    static native int madvise(long address, long length, int advice);
}
